import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a local receiver got. */
export interface CapturedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The status the receiver answered with. */
  status: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A local stand-in for Slack, PagerDuty and webhook endpoints on 127.0.0.1. Each
 * path answers from its script of responses, then with its default (Slack's 200
 * `ok`, PagerDuty's 202).
 */
export class CaptureReceivers {
  readonly requests: CapturedRequest[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const scripted = this.scripts.get(path)?.shift() ?? defaultResponse(path);
        const text = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          path,
          headers: request.headers,
          body: text === '' ? null : JSON.parse(text),
          status: scripted.status,
        });
        response.writeHead(scripted.status, { 'content-type': 'text/plain', ...scripted.headers });
        response.end(scripted.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues responses for the next requests to `path`. */
  script(path: string, responses: ScriptedResponse[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...responses]);
  }

  at(path: string): CapturedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** PagerDuty events that got a 2xx answer. */
  pagerDutyEvents(path = '/pagerduty'): any[] {
    return this.at(path)
      .filter((request) => request.status < 300)
      .map((request) => request.body);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function defaultResponse(path: string): ScriptedResponse {
  if (path.startsWith('/pagerduty'))
    return { status: 202, body: '{"status":"success","message":"Event processed"}' };
  return { status: 200, body: 'ok' };
}

/** An alerting.yaml that sends pages to PagerDuty and Slack and everything to the webhook. */
export function alertingYaml(
  receiversUrl: string,
  options: { groupWait?: string; groupInterval?: string; inhibit?: string } = {},
): string {
  return `receivers:
  - name: pager
    pagerduty_configs:
      - routing_key: test-routing-key-0123456789abcdef
        url: ${receiversUrl}/pagerduty
  - name: chat
    slack_configs:
      - webhook_url: ${receiversUrl}/slack
  - name: hooks
    webhook_configs:
      - url: ${receiversUrl}/webhook
route:
  receiver: hooks
  group_by: [alertname]
  group_wait: ${options.groupWait ?? '30s'}
  group_interval: ${options.groupInterval ?? '5m'}
  repeat_interval: 4h
  routes:
    - name: pages
      matchers: ['severity="page"']
      receiver: pager
      group_by: ['...']
      continue: true
    - name: chat
      matchers: ['severity=~"page|ticket"']
      receiver: chat
      continue: true
    - name: all
      receiver: hooks
${options.inhibit ?? ''}`;
}
