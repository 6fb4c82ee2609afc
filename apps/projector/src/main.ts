import { InvalidEnvironmentError, loadEnvironment } from '#config';
import { createProjector, openEventStore, openReadModels } from '#infrastructure';

/**
 * The projector process: runs the projections against the configured stores, so that API
 * processes (with PROJECTIONS=external) only write and read. Several may run for availability:
 * one holds the lease (a PostgreSQL advisory lock) and applies events, the others wait for it.
 * SIGTERM or SIGINT stops it after the batch in flight is committed with its checkpoint.
 */
async function main(): Promise<void> {
  const env = loadEnvironment();
  const store = await openEventStore(env);
  const readModels = await openReadModels(env);
  const projector = createProjector(env, store, readModels);
  const log = (message: string) => console.log(`${new Date().toISOString()} projector ${process.pid}: ${message}`);

  let wasLeader = false;
  const watch = setInterval(() => {
    if (projector.isLeader !== wasLeader) {
      wasLeader = projector.isLeader;
      log(wasLeader ? 'leader: applying events' : 'follower: another projector holds the lease');
    }
  }, 200);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping after the batch in flight`);
    clearInterval(watch);
    await projector.stop();
    await readModels.destroy();
    await store.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  projector.start();
  log(`started on ${env.EVENT_STORE} (checkpoint ${await projector.checkpoint()})`);
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
