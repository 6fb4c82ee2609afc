import { Global, Module } from '@nestjs/common';
import { Environment, loadEnvironment } from '#config';

/**
 * Makes the validated {@link Environment} injectable everywhere. It is read when the application
 * is built (not when this file is imported), so that `main.ts` can report a bad setting first.
 */
@Global()
@Module({
  providers: [{ provide: Environment, useFactory: (): Environment => loadEnvironment() }],
  exports: [Environment],
})
export class ConfigModule {}
