import { CONSUMER_ROLE, CONSUMER_ROOT, demoKeys, eventually, servicePath, useApi, tokenOf } from './support';

describe('allowed principals, service tags and the public-service warning over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('permissions');

  const { provider } = api;
  const permissions = (serviceId: string) => `${servicePath(serviceId)}/permissions`;

  describe('allowed principals', () => {
    it('account roots, users, roles and * are allowed with their principal type and a service permission id', async () => {
      const s = await api.newService();
      const user = 'arn:aws:iam::444455556666:user/alice';
      const res = await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT, user, CONSUMER_ROLE, '*'] })
        .expect(200);
      expect(res.body.added).toEqual([CONSUMER_ROOT, user, CONSUMER_ROLE, '*']);
      expect(res.body.alreadyPresent).toEqual([]);
      const byPrincipal = Object.fromEntries(res.body.allowedPrincipals.map((p: { principal: string }) => [p.principal, p]));
      expect(byPrincipal[CONSUMER_ROOT].principalType).toBe('Account');
      expect(byPrincipal[user].principalType).toBe('User');
      expect(byPrincipal[CONSUMER_ROLE].principalType).toBe('Role');
      expect(byPrincipal['*'].principalType).toBe('All');
      const ids = res.body.allowedPrincipals.map((p: { servicePermissionId: string }) => p.servicePermissionId);
      for (const id of ids) expect(id).toMatch(/^vpce-svc-perm-[0-9a-f]{17}$/);
      expect(new Set(ids).size).toBe(4);
      // Acceptance is still required: not public, no warning.
      expect(res.body.warning).toBeUndefined();

      const listed = await provider().get(permissions(s.serviceId)).set('x-consistency-token', tokenOf(res)).expect(200);
      expect(listed.body.allowedPrincipals).toHaveLength(4);
      const roles = await provider()
        .get(`${permissions(s.serviceId)}?filter.principal-type=Role,User`)
        .expect(200);
      expect(roles.body.allowedPrincipals.map((p: { principal: string }) => p.principal).sort()).toEqual([CONSUMER_ROLE, user].sort());
      const one = await provider()
        .get(`${permissions(s.serviceId)}?filter.principal=${encodeURIComponent(CONSUMER_ROOT)}`)
        .expect(200);
      expect(one.body.allowedPrincipals).toEqual([byPrincipal[CONSUMER_ROOT]]);
    });

    it('adding a principal already allowed is idempotent and says so; its permission id does not change', async () => {
      const s = await api.newService();
      const first = await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT] })
        .expect(200);
      const again = await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT, CONSUMER_ROLE, CONSUMER_ROLE] })
        .expect(200);
      expect(again.body).toMatchObject({ added: [CONSUMER_ROLE], alreadyPresent: [CONSUMER_ROOT] });
      const id = (body: { allowedPrincipals: Array<{ principal: string; servicePermissionId: string }> }) =>
        body.allowedPrincipals.find((p) => p.principal === CONSUMER_ROOT)!.servicePermissionId;
      expect(id(again.body)).toBe(id(first.body));
      expect(again.body.allowedPrincipals).toHaveLength(2);
    });

    it('removing principals lists the removed ones; removing an absent one is idempotent and says so', async () => {
      const s = await api.newService();
      await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT, CONSUMER_ROLE] })
        .expect(200);
      const removed = await provider()
        .del(permissions(s.serviceId), { removeAllowedPrincipals: [CONSUMER_ROOT, 'arn:aws:iam::777788889999:root'] })
        .expect(200);
      expect(removed.body).toMatchObject({ removed: [CONSUMER_ROOT], alreadyAbsent: ['arn:aws:iam::777788889999:root'] });
      expect(removed.body.allowedPrincipals.map((p: { principal: string }) => p.principal)).toEqual([CONSUMER_ROLE]);
      const again = await provider()
        .del(permissions(s.serviceId), { removeAllowedPrincipals: [CONSUMER_ROOT] })
        .expect(200);
      expect(again.body).toMatchObject({ removed: [], alreadyAbsent: [CONSUMER_ROOT] });
    });

    it('ARNs with paths are refused with a clear message; malformed principals and empty lists are 400s naming the entry', async () => {
      const s = await api.newService();
      const path = await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT, 'arn:aws:iam::444455556666:role/team/deploy'] })
        .expect(400);
      expect(path.body).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'addAllowedPrincipals[1]',
        message: expect.stringMatching(/has a path/),
      });
      const refused: Array<[method: 'post' | 'del', body: Record<string, string[]>, field: string]> = [
        ['post', { addAllowedPrincipals: ['444455556666'] }, 'addAllowedPrincipals[0]'],
        ['post', { addAllowedPrincipals: ['arn:aws:iam::4444:root'] }, 'addAllowedPrincipals[0]'],
        ['post', { addAllowedPrincipals: ['arn:aws:iam::444455556666:group/ops'] }, 'addAllowedPrincipals[0]'],
        ['post', { addAllowedPrincipals: [] }, 'addAllowedPrincipals'],
        ['del', { removeAllowedPrincipals: ['arn:aws:iam::444455556666:user/a/b'] }, 'removeAllowedPrincipals[0]'],
      ];
      for (const [method, body, field] of refused) {
        expect((await provider()[method](permissions(s.serviceId), body).expect(400)).body.field).toBe(field);
      }
      // Removal has its own method (DELETE): a POST with it lacks the list to add.
      expect(
        (
          await provider()
            .post(permissions(s.serviceId), { removeAllowedPrincipals: [CONSUMER_ROOT] })
            .expect(400)
        ).body,
      ).toMatchObject({
        code: 'MissingParameter',
        field: 'addAllowedPrincipals',
      });
      // Nothing of the refused requests landed.
      expect((await provider().get(permissions(s.serviceId)).expect(200)).body.allowedPrincipals).toEqual([]);
    });

    it('permissions of an unknown service are NotFound', async () => {
      await provider().get(permissions('vpce-svc-0ccccccccccccccc0')).expect(404);
      await provider()
        .post(permissions('vpce-svc-0ccccccccccccccc0'), { addAllowedPrincipals: ['*'] })
        .expect(404);
    });

    it('the permissions list pages by permission id', async () => {
      const s = await api.newService();
      const principals = Array.from({ length: 7 }, (_, i) => `arn:aws:iam::44445555${String(6000 + i)}:root`);
      const res = await provider().post(permissions(s.serviceId), { addAllowedPrincipals: principals }).expect(200);
      const first = await provider()
        .get(`${permissions(s.serviceId)}?maxResults=5`)
        .set('x-consistency-token', tokenOf(res))
        .expect(200);
      expect(first.body.allowedPrincipals).toHaveLength(5);
      const second = await provider()
        .get(`${permissions(s.serviceId)}?maxResults=5&nextToken=${encodeURIComponent(first.body.nextToken)}`)
        .expect(200);
      expect(second.body.allowedPrincipals).toHaveLength(2);
      expect(second.body.nextToken).toBeUndefined();
      const all = [...first.body.allowedPrincipals, ...second.body.allowedPrincipals].map((p: { principal: string }) => p.principal);
      expect(all.sort()).toEqual([...principals].sort());
    });
  });

  describe('the public-service warning', () => {
    it('* with acceptance not required makes the service public: the answers carry the guide’s warning and the ops API lists it', async () => {
      const s = await api.newService({ acceptanceRequired: false });
      const allowed = await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: ['*'] })
        .expect(200);
      expect(allowed.body.warning).toMatch(/made your load balancer public/);
      const read = await provider().get(servicePath(s.serviceId)).set('x-consistency-token', tokenOf(allowed)).expect(200);
      expect(read.body.warning).toMatch(/anyone can access/);
      expect((await provider().get(permissions(s.serviceId)).expect(200)).body.warning).toMatch(/public/);
      const publicIds = async () =>
        (
          (await api.as(demoKeys.ops).get('/v1/ops/public-endpoint-services').expect(200)).body.serviceConfigurations as Array<{
            serviceId: string;
          }>
        ).map((x) => x.serviceId);
      expect(await publicIds()).toContain(s.serviceId);

      // Requiring acceptance again ends it; the PATCH answer no longer warns.
      const accepting = await provider().patch(servicePath(s.serviceId), { acceptanceRequired: true }).expect(200);
      expect(accepting.body.warning).toBeUndefined();
      await eventually(async () => expect(await publicIds()).not.toContain(s.serviceId));
      // Switching acceptance off again warns in the PATCH answer.
      const open = await provider().patch(servicePath(s.serviceId), { acceptanceRequired: false }).expect(200);
      expect(open.body.warning).toMatch(/public/);
      await eventually(async () => expect(await publicIds()).toContain(s.serviceId));
      // Removing * ends it too.
      const removed = await provider()
        .del(permissions(s.serviceId), { removeAllowedPrincipals: ['*'] })
        .expect(200);
      expect(removed.body.warning).toBeUndefined();
      await eventually(async () => expect(await publicIds()).not.toContain(s.serviceId));
    });

    it('a service created without acceptance is not public until * is allowed', async () => {
      const s = await api.newService({ acceptanceRequired: false });
      await provider()
        .post(permissions(s.serviceId), { addAllowedPrincipals: [CONSUMER_ROOT] })
        .expect(200);
      const list = await api.as(demoKeys.ops).get('/v1/ops/public-endpoint-services').expect(200);
      expect(list.body.serviceConfigurations.map((x: { serviceId: string }) => x.serviceId)).not.toContain(s.serviceId);
    });
  });

  describe('service tags', () => {
    it('tags are created (an existing key takes the new value) and deleted by key', async () => {
      const s = await api.newService({ tags: [{ key: 'team', value: 'edge' }] });
      const tags = `${servicePath(s.serviceId)}/tags`;
      const created = await provider()
        .post(tags, {
          tags: [
            { key: 'team', value: 'core' },
            { key: 'env', value: 'prod' },
          ],
        })
        .expect(200);
      expect(created.body.tags).toEqual([
        { key: 'team', value: 'core' },
        { key: 'env', value: 'prod' },
      ]);
      const deleted = await provider()
        .del(tags, { tagKeys: ['team', 'absent'] })
        .expect(200);
      expect(deleted.body.tags).toEqual([{ key: 'env', value: 'prod' }]);
      const read = await provider().get(servicePath(s.serviceId)).set('x-consistency-token', tokenOf(deleted)).expect(200);
      expect(read.body.serviceConfiguration.tags).toEqual([{ key: 'env', value: 'prod' }]);
      // The tag filters see the change.
      await eventually(async () => {
        const found = await provider()
          .get(`/v1/provider/endpoint-services?filter.tag:env=prod&filter.service-id=${s.serviceId}`)
          .expect(200);
        expect(found.body.serviceConfigurations).toHaveLength(1);
      });
    });

    it('service tags follow the rules: key 1–128, value 0–256, no aws: prefix, no duplicates, at most 50', async () => {
      const s = await api.newService();
      const tags = `${servicePath(s.serviceId)}/tags`;
      const post = (t: unknown) => provider().post(tags, { tags: t });
      expect((await post([{ key: '', value: 'x' }]).expect(400)).body.field).toBe('tags[0].key');
      expect((await post([{ key: 'k'.repeat(129), value: 'x' }]).expect(400)).body.field).toBe('tags[0].key');
      await post([{ key: 'k'.repeat(128), value: 'v'.repeat(256) }]).expect(200);
      expect((await post([{ key: 'k', value: 'v'.repeat(257) }]).expect(400)).body.field).toBe('tags[0].value');
      expect((await post([{ key: 'aws:cloudformation', value: 'x' }]).expect(400)).body.field).toBe('tags[0].key');
      expect(
        (
          await post([
            { key: 'x', value: '1' },
            { key: 'x', value: '1' },
          ]).expect(400)
        ).body.field,
      ).toBe('tags[1].key');
      await post(Array.from({ length: 49 }, (_, i) => ({ key: `t${i}`, value: '' }))).expect(200);
      expect((await post([{ key: 'fifty-first', value: '' }]).expect(400)).body).toMatchObject({ code: 'TagLimitExceeded' });
      expect(
        (
          await provider()
            .del(tags, { tagKeys: ['aws:x'] })
            .expect(400)
        ).body.field,
      ).toBe('tagKeys[0]');
      expect((await provider().del(tags, { tagKeys: [] }).expect(400)).body.field).toBe('tagKeys');
    });
  });
});
