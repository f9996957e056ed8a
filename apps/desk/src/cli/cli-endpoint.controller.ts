import { Body, Controller, Headers, HttpCode, NotFoundException, Post, Req } from '@nestjs/common';
import { ZodBody } from '@lapor/runtime';
import type { Request } from 'express';
import { Access, Surface } from '../access/access.decorator';
import { clientAddress } from '../access/cookies';
import { CLI_SECRET_HEADER, CliLink } from './cli-link';
import { CommandResult, DeskCommand, DeskCommands } from './desk-commands';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Where `npm run desk` sends its command while `npm start` holds the embedded store:
 * loopback connections only, with the secret from DATA_DIR/desk-cli.json. Anything else
 * is answered 404, as if the route did not exist.
 */
@Controller('internal/desk/v1')
@Surface('api')
@Access({ public: true })
export class CliEndpointController {
  constructor(
    private readonly link: CliLink,
    private readonly commands: DeskCommands,
  ) {}

  @Post('commands')
  @HttpCode(200)
  async run(@Req() req: Request, @Headers(CLI_SECRET_HEADER) secret: string | undefined, @Body(new ZodBody(DeskCommand)) command: DeskCommand): Promise<CommandResult> {
    if (!LOOPBACK.has(clientAddress(req)) || !this.link.accepts(secret)) throw new NotFoundException();
    return this.commands.run(command);
  }
}
