import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { AppModule } from './app.module.js';
import { type Environment, InvalidEnvironmentError, loadEnvironment } from '#config';

function environmentOrExit(): Environment {
  try {
    return loadEnvironment();
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const env = environmentOrExit();
  const app = await createApp(AppModule, env);
  await app.listen(env.PORT);
  Logger.log(`Listening on ${await app.getUrl()} (docs at /docs, health at /health)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  process.exit(1);
});
