import { Module } from '@nestjs/common';
import { ComplaintReader } from './clients/complaint-reader';
import { ComplaintsController, RegionsController } from './controllers/complaints.controller';
import { OpenApiController } from './controllers/openapi.controller';
import { WebFormController } from './controllers/web-form.controller';
import { ComplaintRequestValidator } from './services/complaint-request.validator';
import { DeadlineSummaries } from './services/deadline-summary';
import { RegionDirectory } from './services/region-directory';
import { WebIntakeService } from './services/web-intake.service';
import { attachmentStoreProvider } from '@lapor/storage';
import { WebUploadLimits } from './uploads/upload-limits';
import { Open311Controller } from './open311/open311.controller';
import { Open311Service } from './open311/open311.service';

/** Web form (HTML, no JavaScript needed) + mobile REST API. Stateless: no database, only the bus, the router's read API and the attachment store (files are written there before the event that references them). */
@Module({
  controllers: [ComplaintsController, RegionsController, OpenApiController, WebFormController, Open311Controller],
  providers: [
    WebIntakeService,
    ComplaintReader,
    WebUploadLimits,
    attachmentStoreProvider,
    Open311Service,
    ComplaintRequestValidator,
    RegionDirectory,
    DeadlineSummaries,
  ],
  exports: [WebIntakeService],
})
export class WebIntakeModule {}
