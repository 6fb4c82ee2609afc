import { formatNumber } from '../format.js';
import { useLocale, useT } from '../i18n.js';

export interface ProvenanceProps {
  position: number | null | undefined;
  headHash?: string | null;
}

/** The log position and chain head hash a figure was computed from: anyone can ask again at that position and check. */
export function Provenance({ position, headHash }: ProvenanceProps) {
  const t = useT();
  const locale = useLocale();
  if (position === null || position === undefined) return null;
  return (
    <p class="provenance">
      <span>
        {t('ui.provenance.position')} <strong>{formatNumber(position, locale)}</strong>
      </span>
      {headHash ? (
        <span class="provenance-hash">
          {t('ui.provenance.headHash')}{' '}
          <code class="hash" title={headHash}>
            {headHash}
          </code>
        </span>
      ) : null}
    </p>
  );
}
