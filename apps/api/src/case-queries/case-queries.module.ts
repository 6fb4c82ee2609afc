import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CasesModule } from '../cases/cases.module.js';
import { GetAmnestyEligibilityHandler } from './get-amnesty-eligibility/get-amnesty-eligibility.handler.js';
import { GetAmnestyEligibilityHttpController } from './get-amnesty-eligibility/get-amnesty-eligibility.http.controller.js';
import { GetCaseHistoryHandler } from './get-case-history/get-case-history.handler.js';
import { GetCaseHistoryHttpController } from './get-case-history/get-case-history.http.controller.js';
import { GetRevolvingDoorHandler } from './get-revolving-door/get-revolving-door.handler.js';
import { GetRevolvingDoorHttpController } from './get-revolving-door/get-revolving-door.http.controller.js';
import { ListAmnestyRequestsHandler } from './list-amnesty-requests/list-amnesty-requests.handler.js';
import { ListAmnestyRequestsHttpController } from './list-amnesty-requests/list-amnesty-requests.http.controller.js';
import { ListCasesHandler } from './list-cases/list-cases.handler.js';
import { ListCasesHttpController } from './list-cases/list-cases.http.controller.js';
import { ListPresentationsDueHandler } from './list-presentations-due/list-presentations-due.handler.js';
import { ListPresentationsDueHttpController } from './list-presentations-due/list-presentations-due.http.controller.js';

/**
 * Caseworker and lawyer lists read from the projections (ReadTime and READ_MODELS are global).
 * The case history reads the event store, which only CasesModule provides: it is imported for that.
 */
@Module({
  imports: [CqrsModule, CasesModule],
  controllers: [
    ListCasesHttpController,
    GetCaseHistoryHttpController,
    ListAmnestyRequestsHttpController,
    GetAmnestyEligibilityHttpController,
    ListPresentationsDueHttpController,
    GetRevolvingDoorHttpController,
  ],
  providers: [
    ListCasesHandler,
    GetCaseHistoryHandler,
    ListAmnestyRequestsHandler,
    GetAmnestyEligibilityHandler,
    ListPresentationsDueHandler,
    GetRevolvingDoorHandler,
  ],
})
export class CaseQueriesModule {}
