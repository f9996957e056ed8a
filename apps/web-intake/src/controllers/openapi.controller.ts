import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from '../openapi';

@Controller('api/v1')
export class OpenApiController {
  @Get('openapi.json')
  document() {
    return openApiDocument();
  }
}
