import { Module } from '@nestjs/common';
import { ComplaintReader } from './clients/complaint-reader';
import { ComplaintsController } from './controllers/complaints.controller';
import { OpenApiController } from './controllers/openapi.controller';
import { WebFormController } from './controllers/web-form.controller';
import { WebIntakeService } from './services/web-intake.service';

/** Web form (HTML, no JavaScript needed) + mobile REST API. Stateless: no database, only the bus and the router's read API. */
@Module({
  controllers: [ComplaintsController, OpenApiController, WebFormController],
  providers: [WebIntakeService, ComplaintReader],
})
export class WebIntakeModule {}
