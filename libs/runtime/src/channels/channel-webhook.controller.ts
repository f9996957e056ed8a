import { ZodError } from 'zod';
import { CanActivate, Controller, ExecutionContext, ForbiddenException, Get, Injectable, Logger, Post, Req, Res, ServiceUnavailableException, SetMetadata, Type, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Env } from '../config';
import { EventPublisher } from '../event-publisher';
import type { HttpRequest, HttpResponse } from '../http';
import { InboundAdapter, InboundAdapterType, InboundItem, toEvents, WebhookRoute } from './inbound-adapter';

const WEBHOOK = Symbol('channel-webhook');
interface RouteBinding {
  adapter: InboundAdapterType;
  route: WebhookRoute;
}

/**
 * The one guard of every channel webhook: the channel is on (else 503 with the reason), and
 * the request is the platform's (else 401/403), before anything is parsed or published.
 */
@Injectable()
export class ChannelWebhookGuard implements CanActivate {
  private readonly log = new Logger('ChannelWebhook');

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const binding = this.reflector.get<RouteBinding>(WEBHOOK, context.getHandler());
    const adapter = this.moduleRef.get<InboundAdapter>(binding.adapter, { strict: false });
    if (adapter.off) throw new ServiceUnavailableException(adapter.off);
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const verdict = adapter.verify(req, binding.route);
    if (verdict.ok) return true;
    this.log.warn(`${adapter.channel}/${adapter.vendor}: refused ${binding.route.method} ${req.originalUrl}: ${verdict.reason}`);
    if (verdict.status === 401) throw new UnauthorizedException(verdict.reason);
    if (verdict.status === 503) throw new ServiceUnavailableException(verdict.reason);
    throw new ForbiddenException(verdict.reason);
  }
}

/** Publishes a request's items; resolves only once they are durable, so the platform's 2xx always means "stored". */
@Injectable()
export class ChannelIntakeService {
  private readonly log = new Logger('ChannelIntake');

  constructor(private readonly events: EventPublisher) {}

  /**
   * Publishes the items and returns them as published: an item whose event the contract
   * refuses (an id with a lone surrogate or a NUL that the adapter passed on, found by the
   * fuzzer as a 500) becomes "ignored" with the reason, logged as a warning, and the rest of
   * the request is published: a signed but malformed message is the platform's mistake, not
   * ours, and answering 5xx would only make the platform retry it.
   */
  async publish(channel: string, parsed: InboundItem[]): Promise<InboundItem[]> {
    const items = parsed.map((item): InboundItem => {
      if (item.kind === 'ignored') return item;
      try {
        toEvents(this.events, [item]);
        return item;
      } catch (error) {
        if (!(error instanceof ZodError)) throw error;
        const issue = error.issues[0];
        const reason = `malformed ${item.kind}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : error.message}`;
        this.log.warn(`${channel}: ignoring ${reason}`);
        return { kind: 'ignored', reason };
      }
    });
    const events = toEvents(this.events, items);
    if (events.length) await this.events.publish(...events);
    for (const item of items) if (item.kind === 'ignored') this.log.debug(`${channel}: ignoring ${item.reason}`);
    return items;
  }
}

/**
 * One controller for the webhooks of the given adapters: a route per adapter route (Nest
 * routes are declared with decorators, so they are applied here, per route, to one class).
 * Each route: guard (on? verified?) → parse → publish → the platform's answer.
 */
export function channelWebhookController(adapters: InboundAdapterType[], env: Env): Type<unknown> {
  @Controller()
  class ChannelWebhookController {
    constructor(
      readonly moduleRef: ModuleRef,
      readonly intake: ChannelIntakeService,
    ) {}
  }
  const proto = ChannelWebhookController.prototype as unknown as Record<string, unknown>;
  let n = 0;
  for (const adapterType of adapters) {
    for (const route of adapterType.routes(env)) {
      const key = `${route.method.toLowerCase()}${n++}_${route.name}`;
      proto[key] = async function handle(this: ChannelWebhookController, req: HttpRequest, res: HttpResponse): Promise<void> {
        const adapter = this.moduleRef.get<InboundAdapter>(adapterType, { strict: false });
        const items = await this.intake.publish(adapter.channel, await adapter.parse(req, route));
        const answer = adapter.respond(items, route, req);
        res.status(answer.status);
        if (answer.body === undefined || answer.status === 204) return void res.send();
        if (typeof answer.body === 'string') {
          res.header('Content-Type', answer.contentType ?? 'text/plain; charset=utf-8');
          return void res.send(answer.body);
        }
        res.header('Content-Type', answer.contentType ?? 'application/json; charset=utf-8');
        res.send(JSON.stringify(answer.body));
      };
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      SetMetadata(WEBHOOK, { adapter: adapterType, route } satisfies RouteBinding)(proto, key, descriptor);
      UseGuards(ChannelWebhookGuard)(proto, key, descriptor);
      (route.method === 'GET' ? Get : Post)(route.path)(proto, key, descriptor);
      Req()(proto, key, 0);
      Res()(proto, key, 1);
    }
  }
  return ChannelWebhookController;
}

