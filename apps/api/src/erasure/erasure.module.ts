import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CaseCommandExecutor, CaseEventCodec, PersonalDataEraser } from '#application';
import { CasesModule } from '../cases/cases.module.js';
import { ErasePersonalDataHandler } from './erase-personal-data.handler.js';
import { ErasePersonalDataHttpController } from './erase-personal-data.http.controller.js';
import { PersonalDataModule } from './personal-data.module.js';

/**
 * `POST /api/cases/:id/erasure`: crypto-shredding of one person's personal data. Importing it also
 * brings {@link PersonalDataModule} (global), which every case module relies on.
 */
@Module({
  imports: [CqrsModule, PersonalDataModule, CasesModule],
  controllers: [ErasePersonalDataHttpController],
  providers: [
    {
      provide: PersonalDataEraser,
      inject: [CaseCommandExecutor, CaseEventCodec],
      useFactory: (executor: CaseCommandExecutor, codec: CaseEventCodec) => new PersonalDataEraser(executor, codec),
    },
    ErasePersonalDataHandler,
  ],
})
export class ErasureModule {}
