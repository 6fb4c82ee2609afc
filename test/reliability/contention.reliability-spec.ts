import { randomUUID } from 'node:crypto';
import {
  type Answer,
  auditLog,
  deploymentWithApi,
  openCases,
  openStore,
  sendCommand,
  STORE_KINDS,
  transferCommand,
} from './support/harness.js';

/**
 * 50 clients write to one case at once, each stating the version it last saw (`If-Match`); a loser
 * reads the version from its 412 and tries again until it wins. Exactly one write wins each version.
 */
const CLIENTS = 50;

describe.each(STORE_KINDS)('contention on one case (%s)', (kind) => {
  const suite = deploymentWithApi(kind);

  it('50 If-Match writers: one winner per version, every loser 412, the stream holds exactly the acknowledged events with contiguous versions', async () => {
    const [caseId] = await openCases(suite.api.client, 1);
    const attempts: { ifMatch: number; answer: Answer; key: string }[] = [];
    const client = async () => {
      let seen = 2; // the case is opened with its first detention: version 2
      for (let tries = 0; tries < 200; tries++) {
        const command = transferCommand(caseId!, `contend-${randomUUID()}`);
        const answer = await sendCommand(suite.api.client, command, { headers: { 'If-Match': `"${seen}"` }, timeoutMs: 30_000 });
        attempts.push({ ifMatch: seen, answer, key: command.key });
        if (answer.status === 201) return;
        if (answer.status !== 412) return; // recorded, and failed below
        seen = (answer.body!['details'] as { actualVersion: number }).actualVersion;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));

    // Every answer is a win or a 412: no 409, no 5xx, no dropped connection.
    expect(attempts.filter((a) => a.answer.status !== 201 && a.answer.status !== 412).map((a) => [a.answer.status, a.answer.body])).toEqual([]);
    const winners = attempts.filter((a) => a.answer.status === 201);
    const losers = attempts.filter((a) => a.answer.status === 412);
    expect(winners).toHaveLength(CLIENTS);
    expect(losers.length).toBeGreaterThan(0);
    console.info(`contention (${kind}): ${CLIENTS} writers, ${winners.length} writes won, ${losers.length} answered 412`);
    // One winner per version, at the version after the one it named.
    expect(winners.map((w) => w.answer.body!['version']).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: CLIENTS }, (_, i) => i + 3));
    for (const w of winners) expect(w.answer.body!['version']).toBe(w.ifMatch + 1);
    // Every loser named a version that someone else had already moved past.
    const wonAt = new Set(winners.map((w) => w.ifMatch));
    for (const l of losers) expect(wonAt.has(l.ifMatch)).toBe(true);
    for (const l of losers) expect(l.answer.body).toMatchObject({ code: 'STALE_VERSION' });

    const store = await openStore(suite.deployment);
    try {
      const stream = await store.readStream(`case-${caseId}`);
      expect(stream.map((e) => e.version)).toEqual(Array.from({ length: CLIENTS + 2 }, (_, i) => i + 1));
      // Exactly the acknowledged events, in the versions they were acknowledged at; nothing of a loser.
      const transfers = stream.slice(2);
      expect(transfers.map((e) => e.eventId)).toEqual(
        [...winners].sort((a, b) => (a.answer.body!['version'] as number) - (b.answer.body!['version'] as number)).map((w) => w.answer.body!['eventId']),
      );
      expect(transfers.map((e) => e.metadata.commandId).sort()).toEqual(winners.map((w) => w.key).sort());
      const audit = await auditLog(store);
      expect(audit).toMatchObject({ contiguousStreams: true, contiguousPositions: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
    } finally {
      await store.close();
    }
  });
});
