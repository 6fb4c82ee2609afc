import {
  type Answer,
  auditLog,
  type Command,
  type Deployment,
  missingAcknowledged,
  newDeployment,
  openCaseCommand,
  openCases,
  openStore,
  readModelsAndRebuild,
  type RunningApi,
  sendCommand,
  sleep,
  startApi,
  STORE_KINDS,
  transferCommand,
  waitForProjection,
} from './support/harness.js';

/**
 * The API killed with SIGKILL in the middle of a burst of concurrent commands, several times in a
 * row on the same data. Afterwards: every command answered 2xx is in the log as answered, no
 * command is half-written, the hash chain verifies, and the read models equal a rebuild.
 */
const ROUNDS = 5;
const CONCURRENCY = 16;

describe.each(STORE_KINDS)('SIGKILL in the middle of a burst (%s)', (kind) => {
  let deployment: Deployment;
  let api: RunningApi | null = null;
  beforeAll(() => {
    deployment = newDeployment(kind);
  });
  afterAll(async () => {
    await api?.process.kill();
    await deployment?.dispose();
  });

  it(`${ROUNDS} kills mid-burst: every 2xx command is in the log, none half-written, the chain verifies, the read models equal a rebuild`, async () => {
    api = await startApi(deployment);
    const cases = await openCases(api.client, 8);
    const acknowledged: { command: Command; answer: Answer }[] = [];
    const unanswered: Command[] = [];
    let counter = 0;
    const nextCommand = () => (++counter % 3 === 0 ? openCaseCommand() : transferCommand(cases[counter % cases.length]!));

    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) api = await startApi(deployment);
      const running = api;
      let acknowledgedThisRound = 0;
      let stop = false;
      const client = async () => {
        while (!stop) {
          const command = nextCommand();
          const answer = await sendCommand(running.client, command, { timeoutMs: 15_000 });
          if (answer.status >= 200 && answer.status < 300) {
            acknowledged.push({ command, answer });
            acknowledgedThisRound++;
          } else if (answer.status === 0) {
            unanswered.push(command);
            return; // the server is gone
          } else if (answer.status >= 500) {
            throw new Error(`${command.path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          }
        }
      };
      const clients = Array.from({ length: CONCURRENCY }, client);
      // Kill once the burst is well under way, at a random moment, with requests in flight.
      while (acknowledgedThisRound < 20) await sleep(2);
      await sleep(Math.random() * 40);
      await running.process.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      expect(running.process.child.signalCode).toBe('SIGKILL');
    }
    expect(unanswered.length).toBeGreaterThanOrEqual(ROUNDS); // requests were in flight at each kill

    // Restart once more: the API opens the killed store, catches its read models up, and verifies.
    api = await startApi(deployment);
    await waitForProjection(api.client);
    const verify = await api.client.get('/api/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: true });
    await api.process.kill('SIGTERM');
    api = null;

    const store = await openStore(deployment);
    try {
      const audit = await auditLog(store);
      expect(missingAcknowledged(audit, acknowledged)).toEqual([]);
      expect(audit).toMatchObject({ contiguousStreams: true, contiguousPositions: true, everyEventIntact: true, chainValid: true, partialCommands: [] });
      // The unanswered commands are either wholly in the log or absent (a command is never partly there).
      for (const command of unanswered) expect([0, command.events]).toContain(audit.byCommand.get(command.key)?.length ?? 0);
      const storedUnanswered = unanswered.filter((c) => audit.byCommand.has(c.key)).length;
      console.info(`crash (${kind}): ${ROUNDS} kills, ${acknowledged.length} commands acknowledged, ${unanswered.length} in flight at a kill (${storedUnanswered} of them stored whole, the rest not at all), ${audit.events} events`);
      const { live, rebuilt } = await readModelsAndRebuild(deployment, store);
      expect(live['status_intervals']!.length).toBeGreaterThan(0);
      expect(live).toEqual(rebuilt);
    } finally {
      await store.close();
    }
  });
});
