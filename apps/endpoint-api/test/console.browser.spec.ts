import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { quotaLedgerId } from '@privatelink/domain';
import { chromiumPath } from '@privatelink/testing';
import {
  DemoWorld,
  Stack,
  call,
  demoKeys,
  eventually,
  outputFile,
  seedDemoWorld,
  startEmbeddedStack,
  testOutputDir,
} from './console-support';

/**
 * The ops console in a real browser (Debian's chromium through playwright-core) against the five services
 * in one process, as `npm start` runs them. Screenshots of each page at 1280×800 go to test-output/console/.
 */
describe('the ops console in a browser', () => {
  let stack: Stack;
  let world: DemoWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const shots = testOutputDir('console');
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    stack = await startEmbeddedStack('console-ui');
    base = stack.api.url;
    world = await seedDemoWorld(base);
    browser = await chromium.launch({
      executablePath: await chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) foreignRequests.push(r.url());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A step of the walk-through; when it fails, the page as it was is saved beside the screenshots and printed. */
  const step = (name: string, fn: () => Promise<void>, timeout = 90_000) =>
    it(
      name,
      async () => {
        try {
          await fn();
        } catch (error) {
          const file = `failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`;
          await page.screenshot({ path: outputFile(shots, file), fullPage: true }).catch(() => undefined);
          const text = await page
            .locator('body')
            .innerText()
            .catch(() => '(no page)');
          throw new Error(`${(error as Error).message}\n--- the page (${file}) ---\n${text.slice(0, 3000)}`);
        }
      },
      timeout,
    );
  const shot = (name: string, fullPage = false) => page.screenshot({ path: outputFile(shots, name), fullPage });
  const section = (title: string) => page.locator('section.panel').filter({ has: page.getByRole('heading', { name: title }) });

  step('signs in with an ops key from the keyboard and keeps the key in the tab’s session storage only', async () => {
    await page.goto(`${base}/console`);
    const key = page.getByLabel('API key');
    await key.focus();
    await page.keyboard.type(demoKeys.ops);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('privatelink.console.apiKey'))).toBe(demoKeys.ops);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).document.cookie)).toBe('');
  });

  step('shows the request waiting for acceptance with its age, and each service ready with its outbox', async () => {
    const waiting = section('Waiting for acceptance (oldest first)');
    await waiting.getByRole('link', { name: world.vpcEndpointId }).waitFor();
    await expect(waiting.getByRole('row').filter({ hasText: world.vpcEndpointId }).textContent()).resolves.toMatch(/\d+ (s|min)/);
    const health = section('Services: readiness and outbox');
    for (const service of ['endpoint-api', 'connection-broker', 'dns-verifier', 'notifier', 'quota-guard']) {
      await expect(health.getByRole('row').filter({ hasText: service }).textContent()).resolves.toContain('ready');
    }
    await section('Failed deliveries').getByText(world.deliveryId).waitFor();
    await shot('overview.png');
    await shot('overview-full.png', true);
  });

  step('approves a quota increase request after a confirmation, and the new limit applies', async () => {
    const row = section('Quota increase requests').getByRole('row').filter({ hasText: world.requestId });
    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Approve ${world.requestId}` }).waitFor();
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByText(/^Approved: vpc-endpoints-per-vpc is now 80\.$/).waitFor();
    await shot('approve-increase.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const after = await call(base, demoKeys.ops, 'GET', '/v1/ops/quota-increase-requests?status=approved');
    expect(after.body.quotaIncreaseRequests.map((r: { requestId: string }) => r.requestId)).toContain(world.requestId);
    await section('Quota increase requests').getByRole('row').filter({ hasText: world.requestId }).waitFor({ state: 'detached' });
  });

  step('re-drives a failed delivery after a confirmation, and it is delivered once the topic exists', async () => {
    const sns = new SNSClient({ endpoint: stack.sns.endpoint, region: stack.sns.region, credentials: stack.sns.credentials });
    await sns.send(new CreateTopicCommand({ Name: world.missingTopicName }));
    sns.destroy();
    const row = section('Failed deliveries').getByRole('row').filter({ hasText: world.deliveryId });
    await row.getByRole('button', { name: 'Re-drive' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason (optional)').fill('topic created');
    await dialog.getByRole('button', { name: 'Re-drive' }).click();
    await dialog.getByText(/^Re-driven:/).waitFor();
    await shot('redrive-delivery.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually(
      async () => {
        const delivered = await call(base, demoKeys.ops, 'GET', '/v1/ops/notification-deliveries?state=delivered');
        expect(delivered.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId)).toContain(world.deliveryId);
      },
      30_000,
      200,
    );
  });

  step('replays a dead letter after a confirmation: it shows the error, attempts and failures first', async () => {
    // A message no consumer can decode (its stream names no family) is dead-lettered by the group that read it.
    const eventId = randomUUID();
    await stack.api.transport.publish([
      {
        topic: eventTopicFor(streamFamilies.endpointService),
        key: `poison-${eventId.slice(0, 8)}`,
        value: {
          kind: 'event',
          eventId,
          streamId: `no-such-family-${eventId}`,
          streamVersion: 1,
          position: '1',
          type: 'consolePoison',
          schemaVersion: 1,
          payload: {},
          metadata: { correlationId: 'console-poison', causationId: null, principal: 'test', occurredAt: new Date().toISOString() },
        },
      },
    ]);
    let deadLetterId = '';
    await eventually(
      async () => {
        const listed = await call(base, demoKeys.ops, 'GET', '/v1/ops/dead-letters?state=pending');
        const mine = (listed.body?.deadLetters ?? []).find((d: { messageKey: string }) => d.messageKey === `poison-${eventId.slice(0, 8)}`);
        expect(mine).toBeDefined();
        deadLetterId = mine.deadLetterId;
      },
      30_000,
      200,
    );
    const row = section('Kafka dead letters')
      .getByRole('row')
      .filter({ hasText: `poison-${eventId.slice(0, 8)}` })
      .first();
    await row.getByText(/no known stream family|names no known stream family/).waitFor();
    await row.getByRole('button', { name: 'Replay' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Replay dead letter ${deadLetterId}` }).waitFor();
    await dialog.getByRole('button', { name: 'Replay' }).click();
    await dialog.getByText(/^Replayed: replayed\.$/).waitFor();
    await shot('replay-dead-letter.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const after = await call(base, demoKeys.ops, 'GET', '/v1/ops/dead-letters?state=replayed');
    expect(after.body.deadLetters.map((d: { deadLetterId: string }) => d.deadLetterId)).toContain(deadLetterId);
  });

  step('refreshes by itself: a connection the provider rejects leaves the waiting list within 5 seconds', async () => {
    const waiting = section('Waiting for acceptance (oldest first)');
    await waiting.getByRole('link', { name: world.vpcEndpointId }).waitFor();
    const rejected = await call(base, demoKeys.provider, 'POST', `/v1/provider/endpoint-services/${world.serviceId}/connections:reject`, {
      vpcEndpointIds: [world.vpcEndpointId],
    });
    expect(rejected.status).toBe(200);
    const started = Date.now();
    await waiting.getByRole('link', { name: world.vpcEndpointId }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - started).toBeLessThanOrEqual(5_000 + 1_000);
  });

  step('opens a service: configuration, allowed principals, connections, deliveries, and re-checks its private DNS name', async () => {
    await page.goto(`${base}/console#/services/${world.serviceId}`);
    await page.getByRole('heading', { name: new RegExp(`Service ${world.serviceId}`), level: 1 }).waitFor();
    await section('Configuration').getByText('arn:aws:iam::444455556666:root').waitFor();
    await section('Connections').getByRole('link', { name: world.vpcEndpointId }).waitFor();
    await section('Deliveries').getByText(world.deliveryId).waitFor();
    await shot('service.png');
    await page.goto(`${base}/console#/services/${world.dnsServiceId}`);
    const dns = section('Private DNS name');
    await dns.getByRole('button', { name: 'Re-check now' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Re-check' }).click();
    // Nothing is published under the name (the test zone has no such domain): the check fails with that reason.
    await dialog.getByText(/^Checked: failed \(DomainNotFound\)\.$/).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dns.getByRole('cell', { name: 'DomainNotFound' }).first().waitFor();
    await shot('service-private-dns.png');
  });

  step('opens the history of a service and of an endpoint as timelines, oldest first', async () => {
    await page.goto(`${base}/console#/services/${world.serviceId}`);
    await page.getByRole('heading', { name: new RegExp(`Service ${world.serviceId}`), level: 1 }).waitFor();
    await page.getByRole('link', { name: 'History of this service' }).click();
    const timeline = page.locator('ol.timeline > li');
    await timeline.first().waitFor();
    await expect(timeline.first().textContent()).resolves.toContain('service created');
    await page.locator('ol.timeline').getByText(`principals allowed: arn:aws:iam::444455556666:root`).waitFor();
    await shot('history-service.png');
    await page.goto(`${base}/console#/history/endpoint/${world.vpcEndpointId}`);
    await page.locator('ol.timeline').getByText('endpoint requested by arn:aws:iam::444455556666:root').waitFor();
    await page.locator('ol.timeline').getByText('rejected by the provider').waitFor();
    await shot('history-endpoint.png');
  });

  step('opens an endpoint and a quota scope', async () => {
    await page.goto(`${base}/console#/endpoints/${world.vpcEndpointId}`);
    await page.getByRole('heading', { name: new RegExp(`Endpoint ${world.vpcEndpointId}`), level: 1 }).waitFor();
    await section('Connection').getByText('payments').or(section('Connection').getByText(world.serviceId)).first().waitFor();
    await shot('endpoint.png');
    const ledger = quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: '444455556666', vpcId: world.vpcId });
    await page.goto(`${base}/console#/quota/${encodeURIComponent(ledger)}`);
    await page.getByRole('heading', { name: /Quota vpc-endpoints-per-vpc/, level: 1 }).waitFor();
    await section('Increase requests').getByRole('row').filter({ hasText: world.requestId }).getByText('approved').waitFor();
    await shot('quota-scope.png');
  });

  step('a provider key sees only its own account, and the ops-only parts show the API’s refusal', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(demoKeys.otherProvider);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    // Whatever the API answers this key for the dead letters (ops only) is what the panel says.
    const refused = await call(base, demoKeys.otherProvider, 'GET', '/v1/ops/dead-letters');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await section('Kafka dead letters').getByRole('alert').getByText(`${refused.body.code}: ${refused.body.message}`).waitFor();
    await section('Services: readiness and outbox').getByText('Service readiness and outboxes are shown to ops keys.').waitFor();
    await expect(page.locator('main').textContent()).resolves.not.toContain(world.serviceId);
    await page.goto(`${base}/console#/services/${world.serviceId}`);
    await page
      .getByRole('alert')
      .getByText(`InvalidVpcEndpointServiceId.NotFound: endpoint service ${world.serviceId} does not exist`)
      .waitFor();
    await shot('provider-refused.png');
  });

  step('a wrong key is refused at sign-in with the API’s message, and every field has a label', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill('not-a-real-key-000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('AuthFailure: the API key is not valid').waitFor();
    const unlabeled = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      return [...doc.querySelectorAll('input, select, textarea')].filter((el: any) => !el.labels?.length && !el.getAttribute('aria-label'))
        .length;
    });
    expect(unlabeled).toBe(0);
    expect(foreignRequests).toEqual([]);
  });
});
