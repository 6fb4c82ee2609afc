import { CASE_EVENT_SCHEMA_VERSIONS, DomainError, DomainErrorCode, upcast, type CaseEvent, type RecordedCaseEvent } from '#domain';
import type { JsonObject, NewEvent, RecordedEvent } from '#event-store';
import { isEncryptedEnvelope, isErased, SubjectErasedError, type DestroyOutcome, type Erased, type PersonalDataCipher } from '#crypto';

/** Who asked, and in reply to what: written into every event's metadata. */
export interface CommandMetadata {
  actor: string;
  commandId: string;
  correlationId: string;
  causationId: string | null;
}

export const CASE_STREAM_PREFIX = 'case-';
export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;
export const caseIdOf = (streamId: string): string | null =>
  streamId.startsWith(CASE_STREAM_PREFIX) ? streamId.slice(CASE_STREAM_PREFIX.length) : null;

/**
 * A `personal` member as a reader may see it: the decrypted object, {@link Erased} once the person's
 * key was destroyed (`{ "erased": true }`), or null when the event had none.
 */
export type PersonalView = JsonObject | Erased | null;

/** A name read from a read model: null when withheld or erased, and which of the two. */
export interface NameView {
  fullName: string | null;
  nameErased: boolean;
}

/** What `case_profiles.full_name` holds, per case: the JSON text of the stored `CaseOpened.personal` (an envelope). */
export interface SealedName {
  caseId: string;
  sealed: string | null;
}

/**
 * A domain event becomes a stored envelope: type string and schema version, never a class name.
 * `personal` is left as given: {@link CaseEventCodec.encode} is what encrypts it.
 */
export function encodeCaseEvent(event: CaseEvent, eventId: string, meta: CommandMetadata): NewEvent {
  return {
    eventId,
    type: event.type,
    schemaVersion: CASE_EVENT_SCHEMA_VERSIONS[event.type],
    data: event.data as unknown as JsonObject,
    personal: (event.personal ?? null) as unknown as JsonObject | null,
    metadata: {
      occurredOn: event.facts.occurredOn,
      datePrecision: event.facts.datePrecision,
      source: (event.facts.source ?? null) as unknown as JsonObject | null,
      verification: event.facts.verification,
      actor: meta.actor,
      commandId: meta.commandId,
      correlationId: meta.correlationId,
      causationId: meta.causationId,
    },
  };
}

/**
 * A stored envelope becomes a domain event, upcast to the current schema on the way.
 *
 * Personal data: `personal` is what {@link CaseEventCodec.openPersonal} opened for this event when
 * given (an erased one becomes null). Without it, an encrypted `personal` stays sealed and the
 * domain event carries null: deciding, folding and projecting never need a key. Plaintext from
 * before encryption passes through as stored. Upcasters see `personal` as decoded here.
 */
export function decodeCaseEvent(stored: RecordedEvent, personal?: PersonalView): RecordedCaseEvent {
  const readable =
    personal === undefined ? (isEncryptedEnvelope(stored.personal) ? null : stored.personal) : isErased(personal) ? null : personal;
  const current = upcast({
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    data: stored.data as Record<string, unknown>,
    personal: readable as Record<string, unknown> | null,
  });
  const m = stored.metadata;
  return {
    type: current.type,
    data: current.data,
    personal: current.personal,
    facts: {
      occurredOn: m.occurredOn,
      datePrecision: m.datePrecision,
      source: (m.source as unknown as CaseEvent['facts']['source']) ?? null,
      verification: m.verification,
    },
    eventId: stored.eventId,
    version: stored.version,
    position: stored.position,
    recordedAt: stored.recordedAt,
  } as RecordedCaseEvent;
}

/**
 * The one way case events go to and come from storage with their personal data: `encode` encrypts
 * `personal` under the case's data key (the case id is the subject) before the append; reads that
 * answer personal data open it with `openPersonal` / `decodeWithPersonalData` / `readNames`.
 *
 * `withoutEncryption()` writes personal data as given and is meant for tests and tools that never
 * see real people: every production wiring (API, CLI import and export) passes a cipher.
 */
export class CaseEventCodec {
  static withoutEncryption(): CaseEventCodec {
    return new CaseEventCodec(null);
  }

  /**
   * Names opened earlier, by case: the sealed text they were opened from and what it read. A list
   * opens every name on each request (it orders by name, which SQL cannot see), and opening costs
   * about 10 µs a row (parse, AES-GCM, parse); a hit is one string comparison. A hit is served only
   * while the cipher still trusts the case's live key (see `holdsTrustedKey`), so an erasure is seen
   * exactly as before: at once in this process, within the key's TTL in the others. Keeping the
   * plaintext adds no exposure beyond the cached data key, which opens the same envelope.
   */
  private readonly openedNames = new Map<string, { sealed: string; view: NameView }>();

  constructor(
    readonly cipher: PersonalDataCipher | null,
    private readonly openedNamesLimit = 50_000,
  ) {}

  async encode(caseId: string, event: CaseEvent, eventId: string, meta: CommandMetadata): Promise<NewEvent> {
    const envelope = encodeCaseEvent(event, eventId, meta);
    if (this.cipher === null || envelope.personal === null) return envelope;
    try {
      return { ...envelope, personal: await this.cipher.encrypt(caseId, envelope.personal) };
    } catch (error) {
      if (!(error instanceof SubjectErasedError)) throw error;
      throw new DomainError(DomainErrorCode.PersonalDataErased, `the personal data of case ${caseId} was erased: record the event without personal fields`, { caseId });
    }
  }

  /** A stored event as a domain event, personal data left sealed (see {@link decodeCaseEvent}). */
  decode(stored: RecordedEvent, personal?: PersonalView): RecordedCaseEvent {
    return decodeCaseEvent(stored, personal);
  }

  /**
   * The `personal` member of each stored event, opened: decrypted, {@link Erased}, null, or plaintext
   * as stored before encryption existed. An envelope must belong to its own case. Tampering throws.
   */
  async openPersonal(stored: readonly RecordedEvent[]): Promise<PersonalView[]> {
    const out: PersonalView[] = stored.map((e) => (isEncryptedEnvelope(e.personal) ? null : e.personal));
    const sealed = stored.flatMap((e, i) => (isEncryptedEnvelope(e.personal) ? [i] : []));
    if (sealed.length === 0) return out;
    const opened = await this.requireCipher().decryptMany(sealed.map((i) => ({ envelope: stored[i]!.personal, subjectId: caseIdOf(stored[i]!.streamId) ?? undefined })));
    sealed.forEach((index, k) => (out[index] = opened[k]!));
    return out;
  }

  /** Stored events as domain events with their personal data opened, and the opened views beside them. */
  async decodeWithPersonalData(stored: readonly RecordedEvent[]): Promise<{ events: RecordedCaseEvent[]; personal: PersonalView[] }> {
    const personal = await this.openPersonal(stored);
    return { events: stored.map((e, i) => decodeCaseEvent(e, personal[i])), personal };
  }

  /**
   * Names as the read models keep them (`case_profiles.full_name`: the JSON text of the stored
   * `CaseOpened.personal`), opened in one batch. Older rows holding a bare name or a plaintext
   * object (written before encryption) are read as they are.
   */
  async readNames(rows: readonly SealedName[]): Promise<NameView[]> {
    const out: NameView[] = rows.map(() => ({ fullName: null, nameErased: false }));
    const sealed: { index: number; envelope: unknown; subjectId: string; text: string }[] = [];
    rows.forEach((row, index) => {
      if (row.sealed === null) return;
      const opened = this.openedName(row.caseId, row.sealed);
      if (opened !== null) {
        out[index] = opened;
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(row.sealed);
      } catch {
        out[index] = { fullName: row.sealed, nameErased: false };
        return;
      }
      if (isEncryptedEnvelope(value)) sealed.push({ index, envelope: value, subjectId: row.caseId, text: row.sealed });
      else out[index] = nameIn(value);
    });
    if (sealed.length === 0) return out;
    const opened = await this.requireCipher().decryptMany(sealed);
    sealed.forEach(({ index, subjectId, text }, k) => {
      const personal = opened[k]!;
      if (isErased(personal)) {
        out[index] = { fullName: null, nameErased: true };
        this.openedNames.delete(subjectId);
      } else {
        out[index] = nameIn(personal);
        this.rememberName(subjectId, text, out[index]!);
      }
    });
    return out;
  }

  /** Destroys the case's data key (see {@link PersonalDataCipher.erase}). */
  erase(caseId: string): Promise<DestroyOutcome> {
    this.openedNames.delete(caseId);
    return this.requireCipher().erase(caseId);
  }

  /** The name opened earlier from exactly this sealed text, while the case's key is still trusted. */
  private openedName(caseId: string, sealed: string): NameView | null {
    const entry = this.openedNames.get(caseId);
    if (entry === undefined || entry.sealed !== sealed) return null;
    if (this.cipher === null || !this.cipher.holdsTrustedKey(caseId)) {
      this.openedNames.delete(caseId);
      return null;
    }
    return entry.view;
  }

  private rememberName(caseId: string, sealed: string, view: NameView): void {
    // Insertion order is the eviction order: a list reads every case, so recency buys nothing here.
    this.openedNames.delete(caseId);
    this.openedNames.set(caseId, { sealed, view });
    if (this.openedNames.size > this.openedNamesLimit) this.openedNames.delete(this.openedNames.keys().next().value!);
  }

  private requireCipher(): PersonalDataCipher {
    if (this.cipher === null) throw new Error('personal data is encrypted in this store, but no cipher (master key and key store) was configured');
    return this.cipher;
  }
}

function nameIn(value: unknown): NameView {
  if (typeof value === 'string') return { fullName: value, nameErased: false };
  const name = typeof value === 'object' && value !== null ? (value as { fullName?: unknown }).fullName : null;
  return { fullName: typeof name === 'string' ? name : null, nameErased: false };
}
