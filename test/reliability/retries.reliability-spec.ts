import {
  type Answer,
  auditLog,
  type Command,
  deploymentWithApi,
  missingAcknowledged,
  openCaseCommand,
  openCases,
  openStore,
  pool,
  sendCommand,
  STORE_KINDS,
  transferCommand,
} from './support/harness.js';

/**
 * A client that gives up on each request after a random, often too short, deadline and sends it
 * again with the same `Idempotency-Key` until it is answered: the abandoned attempt may still be
 * running on the server while the retry arrives. Each command must be in the log exactly once.
 */
const COMMANDS = 120;

describe.each(STORE_KINDS)('retries with an Idempotency-Key (%s)', (kind) => {
  const suite = deploymentWithApi(kind);

  it('every command retried after random client-side timeouts is written exactly once, and each retry answers the first result', async () => {
    const cases = await openCases(suite.api.client, 5);
    const commands: Command[] = Array.from({ length: COMMANDS }, (_, i) => (i % 3 === 0 ? openCaseCommand() : transferCommand(cases[i % cases.length]!)));
    let abandoned = 0;
    const finals = await pool(commands, 12, async (command) => {
      const answers: Answer[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        // Deadlines from 1 ms (abandoned before the server answers) to 60 ms; the last tries wait properly.
        const timeoutMs = attempt < 8 ? 1 + Math.floor(Math.random() * 60) : 10_000;
        const answer = await sendCommand(suite.api.client, command, { timeoutMs });
        answers.push(answer);
        if (answer.status === 0) {
          abandoned++;
          continue;
        }
        // A lost race without If-Match is decided again on the server; a 409 after that is worth a retry too.
        if (answer.status === 409) continue;
        return answer;
      }
      throw new Error(`command ${command.key} never answered`);
    });
    expect(finals.filter((a) => a.status !== 201).map((a) => [a.status, a.body])).toEqual([]);
    // The test only proves something if requests were in fact abandoned and sent again.
    expect(abandoned).toBeGreaterThan(COMMANDS / 4);
    console.info(`retries (${kind}): ${COMMANDS} commands, ${abandoned} attempts abandoned by the client and sent again`);
    // Sending a command again once more answers the first result and writes nothing.
    const again = await pool(commands, 12, (command) => sendCommand(suite.api.client, command));
    for (const [i, answer] of again.entries()) {
      expect(answer.status).toBe(201);
      expect({ caseId: answer.body!['caseId'], version: answer.body!['version'], eventId: answer.body!['eventId'] }).toEqual({
        caseId: finals[i]!.body!['caseId'],
        version: finals[i]!.body!['version'],
        eventId: finals[i]!.body!['eventId'],
      });
    }

    const store = await openStore(suite.deployment);
    try {
      const audit = await auditLog(store);
      expect(missingAcknowledged(audit, commands.map((command, i) => ({ command, answer: finals[i]! })))).toEqual([]);
      // Exactly once: one group of events per key, of the command's size, and nothing else was written.
      for (const command of commands) expect(audit.byCommand.get(command.key)).toHaveLength(command.events);
      const caseEvents = [...audit.byCommand.values()].flat().filter((e) => e.streamId.startsWith('case-')).length;
      expect(caseEvents).toBe(cases.length * 2 + commands.reduce((n, c) => n + c.events, 0));
      expect(audit).toMatchObject({ contiguousStreams: true, contiguousPositions: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
    } finally {
      await store.close();
    }
  });
});
