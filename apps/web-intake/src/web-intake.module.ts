import { Module } from '@nestjs/common';
import { ComplaintReader } from './clients/complaint-reader';
import { ComplaintsController } from './controllers/complaints.controller';
import { OpenApiController } from './controllers/openapi.controller';
import { WebFormController } from './controllers/web-form.controller';
import { WebIntakeService } from './services/web-intake.service';
import { attachmentStoreProvider } from '@lapor/storage';
import { WebUploadLimits } from './uploads/upload-limits';

/** Web form (HTML, no JavaScript needed) + mobile REST API. Stateless: no database, only the bus, the router's read API and the attachment store (files are written there before the event that references them). */
@Module({
  controllers: [ComplaintsController, OpenApiController, WebFormController],
  providers: [WebIntakeService, ComplaintReader, WebUploadLimits, attachmentStoreProvider],
  exports: [WebIntakeService],
})
export class WebIntakeModule {}
