import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CaseEventCodec } from '#application';
import { PersonalDataCipher } from '#crypto';
import { openPersonalData, type PersonalData } from '#infrastructure';
import { Environment } from '#config';

/** The opened key store and cipher; closed when the application stops. */
export const PERSONAL_DATA = Symbol('PersonalData');

class PersonalDataLifecycle implements OnApplicationShutdown {
  constructor(private readonly personalData: PersonalData) {}
  async onApplicationShutdown(): Promise<void> {
    await this.personalData.close();
  }
}

/**
 * Encryption of personal data for the whole API (global): the key store and master key chosen by
 * the settings, the {@link PersonalDataCipher}, and the {@link CaseEventCodec} through which every
 * case event is written and every personal field is read.
 */
@Global()
@Module({
  providers: [
    {
      provide: PERSONAL_DATA,
      inject: [Environment],
      useFactory: (env: Environment): Promise<PersonalData> => {
        const logger = new Logger('PersonalData');
        return openPersonalData(env, { warn: (message) => logger.warn(message) });
      },
    },
    { provide: PersonalDataCipher, inject: [PERSONAL_DATA], useFactory: (p: PersonalData) => p.cipher },
    { provide: CaseEventCodec, inject: [PersonalDataCipher], useFactory: (cipher: PersonalDataCipher) => new CaseEventCodec(cipher) },
    { provide: PersonalDataLifecycle, inject: [PERSONAL_DATA], useFactory: (p: PersonalData) => new PersonalDataLifecycle(p) },
  ],
  exports: [PersonalDataCipher, CaseEventCodec],
})
export class PersonalDataModule {}
