/*
 * The ops console's browser code. It is written here as one self-contained function so the project's own
 * build (tsc) compiles it with everything else, and endpoint-api serves its compiled text
 * (`consoleScript()`) at /console/console.js: no bundler, no CDN, nothing fetched from elsewhere.
 * Everything it shows is built with createElement/textContent (never HTML from data), and every call is
 * the public API with the signed-in key as the bearer header.
 *
 * The browser's globals are declared loosely here: the server's type check has no DOM library, and this
 * function touches only the few below.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
declare const location: any;

export function consoleMain(): void {
  const KEY = 'privatelink.console.apiKey';
  const REFRESH_MS = 3000;
  const app = document.getElementById('app');
  const status = document.getElementById('status');
  const dialog = document.getElementById('confirm');
  let timer: any = null;
  let lastRendered = '';
  let role: string | null = null;

  // ── small helpers ──────────────────────────────────────────────────────────────────────────────

  function h(tag: string, attrs?: Record<string, any> | null, ...children: any[]): any {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'onclick' || k === 'onsubmit') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.appendChild(typeof c === 'object' && typeof c.nodeType === 'number' ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const link = (href: string, text: string, key?: string) => h('a', { href, 'data-key': key ?? href }, text);
  const code = (text: unknown) => h('code', null, text === null || text === undefined || text === '' ? '–' : String(text));
  const enc = (s: string) => encodeURIComponent(s);

  function age(seconds: number | null): string {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 60) return `${seconds} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
    return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
  }

  function when(iso: string | null): string {
    if (!iso) return '–';
    const d = new Date(iso);
    return Number.isNaN(d.getTime())
      ? iso
      : d
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z');
  }

  function table(caption: string, headers: string[], rows: any[][], empty: string): any {
    if (rows.length === 0) return h('p', { class: 'empty' }, empty);
    return h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            r.map((c) => h('td', null, c)),
          ),
        ),
      ),
    );
  }

  function counts(title: string, values: Record<string, number>, id: string): any {
    const entries = Object.entries(values ?? {});
    const total = entries.reduce((n, [, v]) => n + Number(v), 0);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': id },
      h('h2', { id }, title, ' ', h('span', { class: 'total' }, String(total))),
      entries.length === 0
        ? h('p', { class: 'empty' }, 'none')
        : h(
            'dl',
            { class: 'counts' },
            entries.map(([k, v]) => [h('dt', null, k), h('dd', null, String(v))]),
          ),
    );
  }

  function section(title: string, id: string, ...content: any[]): any {
    return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
  }

  function stateBadge(state: unknown): any {
    const s = String(state ?? 'unknown');
    const tone = /^(available|Available|verified|delivered|up|ready|approved|replayed)$/.test(s)
      ? 'ok'
      : /^(failed|Failed|rejected|denied|down|not ready)$/.test(s)
        ? 'bad'
        : 'wait';
    return h('span', { class: `badge ${tone}` }, s);
  }

  // ── the API ────────────────────────────────────────────────────────────────────────────────────

  class ApiError extends Error {
    constructor(
      readonly status: number,
      readonly text: string,
    ) {
      super(text);
    }
  }

  async function api(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: any;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, `the API did not answer: ${(e as Error).message}`);
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const message = json && json.code ? `${json.code}: ${json.message}` : `HTTP ${res.status}: ${text.slice(0, 300)}`;
      throw new ApiError(res.status, message);
    }
    return json;
  }

  function apiErrorBox(error: unknown): any {
    return h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.text : String(error));
  }

  // ── confirmation of actions ────────────────────────────────────────────────────────────────────

  interface ActionSpec {
    title: string;
    question: string;
    confirmLabel: string;
    input?: { label: string; name: string; required?: boolean; type?: string; placeholder?: string };
    run: (value: string) => Promise<string>;
  }

  function confirmAction(spec: ActionSpec, opener: any): void {
    dialog.replaceChildren();
    const result = h('div', { class: 'result', 'aria-live': 'assertive' });
    const field = spec.input
      ? h('input', {
          id: 'confirm-input',
          name: spec.input.name,
          type: spec.input.type ?? 'text',
          required: spec.input.required,
          placeholder: spec.input.placeholder ?? '',
        })
      : null;
    const confirmButton = h('button', { type: 'submit', class: 'primary', 'data-testid': 'confirm-yes' }, spec.confirmLabel);
    const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
    const form = h(
      'form',
      {
        method: 'dialog',
        onsubmit: async (ev: any) => {
          ev.preventDefault();
          confirmButton.disabled = true;
          result.replaceChildren(h('p', null, 'Working…'));
          try {
            const message = await spec.run(field ? field.value.trim() : '');
            result.replaceChildren(h('p', { class: 'ok', role: 'status' }, message));
            cancel.textContent = 'Close';
            confirmButton.hidden = true;
            refresh(true);
          } catch (error) {
            result.replaceChildren(apiErrorBox(error));
            confirmButton.disabled = false;
          }
        },
      },
      h('h2', { id: 'confirm-title' }, spec.title),
      h('p', null, spec.question),
      spec.input ? h('label', { for: 'confirm-input' }, spec.input.label) : null,
      field,
      result,
      h('div', { class: 'buttons' }, confirmButton, cancel),
    );
    dialog.appendChild(form);
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    dialog.onclose = () => opener && opener.focus && opener.focus();
    dialog.showModal();
    (field ?? confirmButton).focus();
  }

  function actionButton(label: string, key: string, spec: () => ActionSpec): any {
    const b = h('button', { type: 'button', 'data-key': key }, label);
    b.addEventListener('click', () => confirmAction(spec(), b));
    return b;
  }

  const approve = (r: any) =>
    actionButton('Approve', `approve-${r.requestId}`, () => ({
      title: `Approve ${r.requestId}`,
      question: `Raise ${r.quotaCode} for ${JSON.stringify(r.scope)} to ${r.desiredValue}? Leave the value empty to approve the desired value.`,
      confirmLabel: 'Approve',
      input: { label: 'Value (optional)', name: 'value', type: 'number', placeholder: String(r.desiredValue) },
      run: async (v) => {
        const body = v === '' ? {} : { value: Number(v) };
        const out = await api('POST', `/v1/ops/quota-increase-requests/${enc(r.requestId)}:approve`, body);
        return `Approved: ${out.quotaIncreaseRequest.quotaCode} is now ${out.quotaIncreaseRequest.approvedValue}.`;
      },
    }));

  const deny = (r: any) =>
    actionButton('Deny', `deny-${r.requestId}`, () => ({
      title: `Deny ${r.requestId}`,
      question: `Deny the increase of ${r.quotaCode} to ${r.desiredValue}? The requester sees the reason.`,
      confirmLabel: 'Deny',
      input: { label: 'Reason', name: 'reason', required: true },
      run: async (v) => {
        await api('POST', `/v1/ops/quota-increase-requests/${enc(r.requestId)}:deny`, { reason: v });
        return 'Denied.';
      },
    }));

  const redrive = (d: any) =>
    actionButton('Re-drive', `redrive-${d.deliveryId}`, () => ({
      title: `Re-drive ${d.deliveryId}`,
      question: `Publish the ${d.connectionEvent} notification to ${d.topicArn} again?`,
      confirmLabel: 'Re-drive',
      input: { label: 'Reason (optional)', name: 'reason' },
      run: async (v) => {
        const out = await api('POST', `/v1/ops/notification-deliveries/${enc(d.deliveryId)}:redrive`, v ? { reason: v } : {});
        return `Re-driven: the delivery is ${out?.state ?? 'pending'} again.`;
      },
    }));

  const recheck = (serviceId: string) =>
    actionButton('Re-check now', `recheck-${serviceId}`, () => ({
      title: `Re-check the private DNS name of ${serviceId}`,
      question: 'Ask the domain’s name servers for the TXT record now?',
      confirmLabel: 'Re-check',
      run: async () => {
        const out = await api('POST', `/v1/provider/endpoint-services/${enc(serviceId)}/private-dns:verify`, {});
        const c = out.privateDnsNameConfiguration ?? {};
        return `Checked: ${c.state ?? 'unknown'}${c.reasonCode ? ` (${c.reasonCode})` : ''}.`;
      },
    }));

  const replay = (d: any) =>
    actionButton('Replay', `replay-${d.deadLetterId}`, () => ({
      title: `Replay dead letter ${d.deadLetterId}`,
      question: `Send ${d.messageType ?? 'the message'} (${d.messageKey}) to ${d.consumerGroup} on ${d.topic} again?`,
      confirmLabel: 'Replay',
      run: async () => {
        const out = await api('POST', `/v1/ops/dead-letters/${enc(d.deadLetterId)}:replay`, {});
        return `Replayed: ${out?.deadLetter?.state ?? 'sent'}.`;
      },
    }));

  // ── pages ──────────────────────────────────────────────────────────────────────────────────────

  async function overviewPage(): Promise<any> {
    const [o, deadLetters]: [any, { ok: boolean; items?: any; error?: unknown }] = await Promise.all([
      api('GET', '/v1/console/overview'),
      api('GET', '/v1/ops/dead-letters').then(
        (r) => ({ ok: true, items: r.deadLetters ?? [] }),
        (e) => ({ ok: false, error: e }),
      ),
    ]);
    role = o.scope.role;
    const pendingDead = deadLetters.ok ? deadLetters.items.filter((d: any) => d.state === 'pending') : [];
    const cards = h(
      'div',
      { class: 'cards' },
      counts('Services', o.servicesByState, 'c-services'),
      counts('Connections', o.connectionsByState, 'c-connections'),
      counts('Private DNS verifications', o.verificationsByState, 'c-verifications'),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'c-attention' },
        h('h2', { id: 'c-attention' }, 'Needs attention'),
        h(
          'dl',
          { class: 'counts' },
          h('dt', null, 'waiting for acceptance'),
          h('dd', null, String(o.pendingAcceptanceTotal)),
          h('dt', null, 'failed deliveries'),
          h('dd', null, String(o.failedDeliveriesTotal)),
          h('dt', null, 'quota scopes ≥ 80 %'),
          h('dd', null, String(o.quotasNearLimit.length)),
          h('dt', null, 'increase requests'),
          h('dd', null, String(o.pendingIncreaseRequests.length)),
          h('dt', null, 'dead letters'),
          h('dd', null, deadLetters.ok ? String(pendingDead.length) : '?'),
        ),
      ),
    );
    const health =
      o.services === null
        ? h('p', { class: 'empty' }, 'Service readiness and outboxes are shown to ops keys.')
        : table(
            'Service readiness and outbox',
            ['service', 'ready', 'outbox backlog', 'relay lag', 'where'],
            o.services.map((s: any) => [
              s.service,
              stateBadge(s.ready === null ? 'unknown' : s.ready ? 'ready' : 'not ready'),
              s.outboxBacklog === null ? '–' : String(s.outboxBacklog),
              s.relayLagSeconds === null ? '–' : `${Number(s.relayLagSeconds).toFixed(1)} s`,
              s.error ? h('span', { class: 'note' }, s.error) : (s.source ?? '–'),
            ]),
            'no services',
          );
    const pending = table(
      'Requests waiting for acceptance, oldest first',
      ['endpoint', 'service', 'consumer', 'waiting'],
      o.pendingAcceptance.map((p: any) => [
        link(`#/endpoints/${p.vpcEndpointId}`, p.vpcEndpointId),
        link(`#/services/${p.serviceId}`, p.serviceId),
        p.vpcEndpointOwner,
        h('span', { 'data-age': p.since }, age(p.ageSeconds)),
      ]),
      'No request is waiting for acceptance.',
    );
    const requests = table(
      'Quota increase requests waiting for a decision',
      ['request', 'quota', 'scope', 'now', 'wanted', 'reason', ''],
      o.pendingIncreaseRequests.map((r: any) => [
        code(r.requestId),
        r.quotaCode,
        code(Object.values(r.scope ?? {}).join(' / ')),
        `${r.limitAtRequest ?? 'default'} (used ${r.usageAtRequest})`,
        String(r.desiredValue),
        r.reason,
        h('span', { class: 'actions' }, approve(r), deny(r)),
      ]),
      'No increase request is waiting.',
    );
    const failed = table(
      'Failed notification deliveries',
      ['delivery', 'event', 'topic', 'endpoint', 'attempts', 'last error', ''],
      o.failedDeliveries.map((d: any) => [
        code(d.deliveryId),
        d.connectionEvent,
        code(d.topicArn),
        link(`#/endpoints/${d.vpcEndpointId}`, d.vpcEndpointId),
        String(d.attempts),
        h('span', { class: 'note' }, d.lastError ?? '–'),
        redrive(d),
      ]),
      'No delivery has failed.',
    );
    const quotas = table(
      'Quota scopes at or above 80 % of their limit',
      ['quota', 'scope', 'usage', ''],
      o.quotasNearLimit.map((q: any) => [
        q.quotaCode,
        code(Object.values(q.scope ?? {}).join(' / ')),
        meter(q.usage, q.limit, q.percent),
        link(`#/quota/${enc(q.ledgerId)}`, 'open', `quota-${q.ledgerId}`),
      ]),
      'No quota scope is at 80 % or more.',
    );
    const dead = deadLetters.ok
      ? table(
          'Dead letters',
          ['topic', 'group', 'message', 'error', 'attempts', 'first / last failure', 'state', ''],
          deadLetters.items.map((d: any) => [
            code(d.topic),
            code(d.consumerGroup),
            h('span', null, d.messageType ?? '', ' ', code(d.messageKey)),
            h('span', { class: 'note' }, `${d.error?.name ?? 'Error'}: ${d.error?.message ?? ''}`),
            String(d.attempts),
            h('span', null, when(d.firstFailedAt), h('br'), when(d.lastFailedAt)),
            stateBadge(d.state),
            d.state === 'pending' ? replay(d) : when(d.replayedAt ?? null),
          ]),
          'No dead letter.',
        )
      : apiErrorBox(deadLetters.error);
    return h(
      'div',
      null,
      h('h1', null, 'Overview'),
      cards,
      h(
        'div',
        { class: 'columns' },
        section('Waiting for acceptance (oldest first)', 's-pending', pending),
        section('Services: readiness and outbox', 's-health', health),
      ),
      section('Quota increase requests', 's-requests', requests),
      section('Failed deliveries', 's-failed', failed),
      section('Kafka dead letters', 's-dead', dead),
      section('Quota scopes ≥ 80 %', 's-quotas', quotas),
    );
  }

  function meter(usage: number, limit: number, percent: number): any {
    return h(
      'span',
      { class: 'meter-wrap' },
      h('meter', { min: 0, max: limit || 1, value: usage, high: (limit || 1) * 0.8, optimum: 0, 'aria-label': `${usage} of ${limit}` }),
      ` ${usage} / ${limit} (${percent} %)`,
    );
  }

  function fields(pairs: Array<[string, any]>): any {
    return h(
      'dl',
      { class: 'fields' },
      pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? '–' : v)]),
    );
  }

  async function servicePage(serviceId: string): Promise<any> {
    const p = await api('GET', `/v1/console/services/${enc(serviceId)}`);
    const s = p.service;
    const dns = p.privateDnsVerification;
    return h(
      'div',
      null,
      h('p', { class: 'crumbs' }, link('#/', 'Overview'), ' › service'),
      h('h1', null, 'Service ', code(s.serviceId), ' ', stateBadge(s.serviceState)),
      h('p', null, link(`#/history/service/${s.serviceId}`, 'History of this service', 'history-link')),
      h(
        'div',
        { class: 'columns' },
        section(
          'Configuration',
          's-config',
          fields([
            ['name', code(s.serviceName)],
            ['type', s.serviceType],
            ['owner', s.owner],
            ['acceptance required', s.acceptanceRequired ? 'yes' : 'no'],
            [
              'load balancers',
              h(
                'span',
                null,
                [...(s.networkLoadBalancerArns ?? []), ...(s.gatewayLoadBalancerArns ?? [])].map((a: string) => h('div', null, code(a))),
              ),
            ],
            ['zones', (s.availabilityZoneIds ?? []).join(', ')],
            ['IP address types', (s.supportedIpAddressTypes ?? []).join(', ')],
            ['created', when(s.createdAt)],
          ]),
          h('h3', null, 'Allowed principals'),
          p.allowedPrincipals.length === 0
            ? h('p', { class: 'empty' }, 'nobody yet')
            : h(
                'ul',
                null,
                p.allowedPrincipals.map((a: any) => h('li', null, code(a.principal), ` (${a.principalType})`)),
              ),
        ),
        section(
          'Private DNS name',
          's-dns',
          s.privateDnsName
            ? h(
                'div',
                null,
                fields([
                  ['name', code(s.privateDnsName)],
                  ['state', stateBadge(s.privateDnsNameConfiguration?.state ?? dns?.state)],
                  ['TXT record name', code(s.privateDnsNameConfiguration?.name ?? dns?.recordName)],
                  ['TXT record value', code(s.privateDnsNameConfiguration?.value ?? dns?.recordValue)],
                  ['reason', dns?.reasonCode ? h('span', null, code(dns.reasonCode), ' ', dns.reason ?? '') : null],
                  ['last checked', when(dns?.lastCheckedAt ?? null)],
                  ['next check', when(dns?.nextCheckAt ?? null)],
                ]),
                recheck(s.serviceId),
                h('h3', null, 'Last checks'),
                table(
                  'Last checks of the private DNS name',
                  ['when', 'event', 'result', 'state', 'reason code'],
                  p.privateDnsChecks.map((c: any) => [
                    h('span', { class: 'nowrap' }, when(c.at)),
                    h('span', { title: c.summary }, c.type),
                    c.result ?? '–',
                    c.state ? stateBadge(c.state) : '–',
                    c.reasonCode ? code(c.reasonCode) : '–',
                  ]),
                  'No check yet.',
                ),
              )
            : h('p', { class: 'empty' }, 'This service has no private DNS name.'),
        ),
      ),
      section(
        'Connections',
        's-connections',
        table(
          'Connections of the service',
          ['endpoint', 'consumer', 'state', 'created'],
          p.connections.map((c: any) => [
            link(`#/endpoints/${c.vpcEndpointId}`, c.vpcEndpointId),
            c.vpcEndpointOwner,
            stateBadge(c.vpcEndpointState),
            when(c.creationTimestamp ?? null),
          ]),
          'No connection.',
        ),
      ),
      h(
        'div',
        { class: 'columns' },
        section(
          'Notifications',
          's-notifications',
          table(
            'Notification configurations of the service',
            ['id', 'topic', 'events', 'state'],
            p.notifications.map((n: any) => [
              code(n.connectionNotificationId),
              code(n.connectionNotificationArn),
              (n.connectionEvents ?? []).join(', '),
              stateBadge(n.connectionNotificationState),
            ]),
            'No notification configured.',
          ),
        ),
        section('Deliveries', 's-deliveries', deliveriesTable(p.deliveries)),
      ),
    );
  }

  function deliveriesTable(deliveries: any[]): any {
    return table(
      'Notification deliveries',
      ['delivery', 'event', 'state', 'attempts', 'last error', ''],
      deliveries.map((d: any) => [
        code(d.deliveryId),
        d.connectionEvent,
        stateBadge(d.state),
        String(d.attempts),
        h('span', { class: 'note' }, d.lastError ?? '–'),
        d.state === 'failed' ? redrive(d) : '',
      ]),
      'No delivery.',
    );
  }

  async function endpointPage(id: string): Promise<any> {
    const p = await api('GET', `/v1/console/endpoints/${enc(id)}`);
    const e = p.endpoint;
    return h(
      'div',
      null,
      h('p', { class: 'crumbs' }, link('#/', 'Overview'), ' › ', link(`#/services/${e.serviceId}`, e.serviceId), ' › endpoint'),
      h('h1', null, 'Endpoint ', code(e.vpcEndpointId), ' ', stateBadge(e.vpcEndpointState)),
      h('p', null, link(`#/history/endpoint/${e.vpcEndpointId}`, 'History of this endpoint', 'history-link')),
      section(
        'Connection',
        's-endpoint',
        fields([
          ['service', link(`#/services/${e.serviceId}`, e.serviceId)],
          ['consumer account', e.vpcEndpointOwner],
          ['requested by', code(e.requesterPrincipal)],
          ['type', e.vpcEndpointType],
          ['VPC', code(e.vpcId)],
          [
            'state reason',
            e.stateReason ? h('span', null, code(e.stateReason.code ?? e.stateReason), ' ', e.stateReason.message ?? '') : null,
          ],
          ['created', when(e.creationTimestamp ?? null)],
          [
            'DNS entries',
            h(
              'span',
              null,
              (e.dnsEntries ?? []).map((d: any) => h('div', null, code(d.dnsName))),
            ),
          ],
        ]),
      ),
      section('Deliveries about this endpoint', 's-deliveries', deliveriesTable(p.deliveries)),
    );
  }

  async function quotaPage(ledgerId: string): Promise<any> {
    const p = await api('GET', `/v1/console/quota-scopes/${enc(ledgerId)}`);
    const q = p.quota;
    const percent = q.limit ? Math.round((q.usage / q.limit) * 100) : 0;
    return h(
      'div',
      null,
      h('p', { class: 'crumbs' }, link('#/', 'Overview'), ' › quota scope'),
      h('h1', null, 'Quota ', code(q.quotaCode)),
      h('p', null, link(`#/history/any/${enc(ledgerId)}`, 'History of this scope', 'history-link')),
      section(
        'Limit and usage',
        's-quota',
        fields([
          ['quota', q.quotaName],
          [
            'scope',
            code(
              Object.entries(q.scope ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(', '),
            ),
          ],
          ['usage', q.limit === null ? `${q.usage} (no limit)` : meter(q.usage, q.limit, percent)],
          ['adjustable', q.adjustable ? 'yes' : 'no'],
          ['updated', when(p.updatedAt)],
        ]),
      ),
      section(
        'Increase requests',
        's-requests',
        table(
          'Increase requests for this scope',
          ['request', 'status', 'wanted', 'approved', 'reason', 'submitted', ''],
          p.increaseRequests.map((r: any) => [
            code(r.requestId),
            stateBadge(r.status),
            String(r.desiredValue),
            r.approvedValue === null ? '–' : String(r.approvedValue),
            r.decisionReason ?? r.reason,
            when(r.submittedAt),
            r.status === 'pending' ? h('span', { class: 'actions' }, approve(r), deny(r)) : '',
          ]),
          'No increase request for this scope.',
        ),
      ),
    );
  }

  // The history keeps what was loaded (more pages append) until the resource changes.
  let historyState: { key: string; events: any[]; nextToken?: string } | null = null;

  function historyPath(kind: string, id: string, token?: string): string {
    const base =
      role === 'ops' || kind === 'any'
        ? `/v1/ops/history/${enc(id)}`
        : kind === 'service'
          ? `/v1/provider/endpoint-services/${enc(id)}/history`
          : `/v1/consumer/endpoints/${enc(id)}/history`;
    return `${base}?maxResults=50${token ? `&nextToken=${enc(token)}` : ''}`;
  }

  async function historyPage(kind: string, id: string): Promise<any> {
    const key = `${kind}/${id}`;
    if (!historyState || historyState.key !== key) {
      const first = await api('GET', historyPath(kind, id));
      historyState = { key, events: first.events, nextToken: first.nextToken };
    } else if (!historyState.nextToken) {
      // Live: newer events of a history that is fully loaded are fetched again from its start.
      const fresh = await api('GET', historyPath(kind, id));
      if (fresh.events.length > historyState.events.length || fresh.nextToken)
        historyState = { key, events: fresh.events, nextToken: fresh.nextToken };
    }
    const state = historyState;
    const more = state.nextToken
      ? h(
          'button',
          {
            type: 'button',
            'data-key': 'history-more',
            onclick: async () => {
              const next = await api('GET', historyPath(kind, id, state.nextToken));
              state.events.push(...next.events);
              state.nextToken = next.nextToken;
              refresh(true);
            },
          },
          'Load older… more events',
        )
      : null;
    const back = kind === 'service' ? link(`#/services/${id}`, id) : kind === 'endpoint' ? link(`#/endpoints/${id}`, id) : code(id);
    return h(
      'div',
      null,
      h('p', { class: 'crumbs' }, link('#/', 'Overview'), ' › ', back, ' › history'),
      h('h1', null, 'History of ', code(id)),
      h('p', null, `${state.events.length} events${state.nextToken ? ' so far' : ''}, oldest first.`),
      h(
        'ol',
        { class: 'timeline' },
        state.events.map((e: any) =>
          h(
            'li',
            null,
            h('time', { datetime: e.occurredAt }, when(e.occurredAt)),
            h('div', { class: 'what' }, h('strong', null, e.summary), ' ', h('span', { class: 'type' }, e.type)),
            h(
              'div',
              { class: 'who' },
              'by ',
              code(e.principal),
              ' · correlation ',
              code(e.correlationId),
              ' · ',
              code(`${e.streamId}@${e.streamVersion}`),
            ),
          ),
        ),
      ),
      more,
    );
  }

  // ── sign-in, routing, refresh ──────────────────────────────────────────────────────────────────

  function signInPage(message?: string): any {
    const input = h('input', {
      id: 'api-key',
      name: 'apiKey',
      type: 'password',
      autocomplete: 'off',
      required: true,
      'aria-describedby': 'key-help',
    });
    const form = h(
      'form',
      {
        class: 'signin',
        onsubmit: async (ev: any) => {
          ev.preventDefault();
          sessionStorage.setItem(KEY, input.value.trim());
          try {
            await api('GET', '/v1/console/overview');
            render();
          } catch (error) {
            sessionStorage.removeItem(KEY);
            app.replaceChildren(signInPage(error instanceof ApiError ? error.text : String(error)));
          }
        },
      },
      h('h1', null, 'Sign in to the ops console'),
      h('label', { for: 'api-key' }, 'API key'),
      input,
      h(
        'p',
        { id: 'key-help', class: 'note' },
        'An ops key sees everything; a provider key sees its own account. The key stays in this tab only (session storage).',
      ),
      message ? h('p', { class: 'error', role: 'alert' }, message) : null,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    );
    setTimeout(() => input.focus(), 0);
    return form;
  }

  function route(): { name: string; args: string[] } {
    const parts = String(location.hash || '#/')
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    return { name: parts[0] ?? 'overview', args: parts.slice(1) };
  }

  async function pageFor(r: { name: string; args: string[] }): Promise<any> {
    if (r.name === 'services' && r.args[0]) return servicePage(r.args[0]);
    if (r.name === 'endpoints' && r.args[0]) return endpointPage(r.args[0]);
    if (r.name === 'quota' && r.args[0]) return quotaPage(r.args.join('/'));
    if (r.name === 'history' && r.args[1]) return historyPage(r.args[0], r.args.slice(1).join('/'));
    return overviewPage();
  }

  let rendering = false;
  async function refresh(force = false): Promise<void> {
    if (rendering) return;
    if (!sessionStorage.getItem(KEY)) {
      app.replaceChildren(signInPage());
      return;
    }
    if (dialog.open && !force) return schedule();
    rendering = true;
    const focusedKey = document.activeElement?.getAttribute?.('data-key') ?? null;
    try {
      const page = await pageFor(route());
      // Re-draw only when something changed, so reading and keyboard focus are not disturbed every few seconds.
      const html = page.outerHTML;
      if (force || html !== lastRendered) {
        lastRendered = html;
        app.replaceChildren(page);
        if (focusedKey) app.querySelector(`[data-key="${focusedKey.replace(/"/g, '\\"')}"]`)?.focus();
      }
      status.textContent = `Live · updated ${new Date().toLocaleTimeString()}`;
      status.className = 'live';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem(KEY);
        app.replaceChildren(signInPage(error.text));
      } else {
        app.replaceChildren(h('div', null, h('p', { class: 'crumbs' }, link('#/', 'Overview')), apiErrorBox(error)));
        lastRendered = '';
      }
      status.textContent = 'Not updated: see the message';
      status.className = 'stale';
    } finally {
      rendering = false;
      schedule();
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(false), REFRESH_MS);
  }

  function render(): void {
    lastRendered = '';
    refresh(true);
  }

  document.getElementById('signout').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    historyState = null;
    // The next key starts at the overview: the page left open may be one it may not see.
    if (location.hash && location.hash !== '#/') location.hash = '#/';
    render();
  });
  window.addEventListener('hashchange', () => {
    render();
    app.focus();
  });
  render();
}

/** The compiled function as the browser runs it. */
export function consoleScript(): string {
  return `'use strict';\n(${consoleMain.toString()})();\n`;
}
