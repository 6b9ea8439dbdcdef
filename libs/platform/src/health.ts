import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { Response } from 'express';
import { Metrics } from './metrics';
import { Public } from './request-context';

export type ReadinessCheck = () => Promise<boolean>;

/** Each service module registers what it needs to be ready (its database, its transport). */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, 'up' | 'down'> }> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const ok = await Promise.race([check().catch(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000))]);
        return [name, ok ? 'up' : 'down'] as const;
      }),
    );
    return { ready: results.every(([, s]) => s === 'up'), checks: Object.fromEntries(results) };
  }
}

@Controller()
export class HealthController {
  private evaluating?: Promise<void>;

  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: Metrics,
  ) {}

  @Public()
  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'live' };
  }

  @Public()
  @Get('health/ready')
  async ready(@Res() res: Response) {
    const { ready, checks } = await this.readiness.evaluate();
    this.metrics.ready.set(ready ? 1 : 0);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  }

  @Public()
  @Get('metrics')
  async prometheus(@Res() res: Response) {
    // privatelink_ready follows the checks without a /health/ready call: each scrape starts an evaluation
    // and shows the last finished one, so a slow check (up to 2 s) never makes the scrape itself slow.
    if (!this.evaluating) {
      this.evaluating = this.readiness
        .evaluate()
        .then(
          ({ ready }) => this.metrics.ready.set(ready ? 1 : 0),
          () => this.metrics.ready.set(0),
        )
        .finally(() => (this.evaluating = undefined));
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
