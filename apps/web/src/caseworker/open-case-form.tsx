// Opening a case (POST /api/cases): the person, their first detention when known, who reported it.
import { api } from '../api.js';
import { useT } from '../i18n.js';
import { OPEN_CASE_FIELDS } from './event-catalogue.js';
import './messages.js';
import { RecordForm } from './record-form.js';

interface Opened {
  caseId: string;
  version: number;
}

export function OpenCaseForm({ onOpened }: { onOpened: (caseId: string) => void }) {
  const t = useT();
  return (
    <RecordForm<Opened>
      formId="cw-open"
      fields={OPEN_CASE_FIELDS}
      submitLabel={t('cw.open.submit')}
      send={async (body, values, idempotencyKey) => {
        // Without a first detention the case opens with no status; the detention can be recorded later.
        if (values['withDetention'] !== true) delete body['detention'];
        const { data } = await api<Opened>('/api/cases', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
        return data;
      }}
      onSuccess={(opened) => onOpened(opened.caseId)}
    />
  );
}
