import { MAX_TAGS_PER_RESOURCE, Tag, applyTagChanges, validateTagKeys, validateTags } from './tags';
import { caught } from './spec-support';

const many = (n: number, prefix = 'k'): Tag[] => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

describe('tags', () => {
  it('valid tags come back as {key, value}; a missing value is empty', () => {
    expect(validateTags([{ key: 'env', value: 'prod' }, { key: 'team' }])).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: '' },
    ]);
  });

  it('no tags is an empty list', () => {
    expect(validateTags(undefined)).toEqual([]);
  });

  it('a key of 128 characters is accepted, 129 refused', () => {
    expect(validateTags([{ key: 'k'.repeat(128), value: '' }])).toHaveLength(1);
    expect(caught(() => validateTags([{ key: 'k'.repeat(129), value: '' }]))).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'tags[0].key',
    });
  });

  it('an empty key is refused', () => {
    expect(caught(() => validateTags([{ key: '', value: 'x' }]))).toMatchObject({ field: 'tags[0].key' });
  });

  it('a value of 256 characters is accepted, 257 refused', () => {
    expect(validateTags([{ key: 'k', value: 'v'.repeat(256) }])).toHaveLength(1);
    expect(caught(() => validateTags([{ key: 'k', value: 'v'.repeat(257) }]))).toMatchObject({ field: 'tags[0].value' });
  });

  it('lengths count characters, not UTF-16 units', () => {
    expect(validateTags([{ key: '😀'.repeat(128), value: '😀'.repeat(256) }])).toHaveLength(1);
  });

  it('the aws: prefix is reserved, in any case', () => {
    expect(caught(() => validateTags([{ key: 'aws:cloudformation:stack', value: 'x' }])).message).toMatch(/aws:/);
    expect(
      caught(() =>
        validateTags([
          { key: 'x', value: '' },
          { key: 'AWS:Name', value: '' },
        ]),
      ),
    ).toMatchObject({ field: 'tags[1].key' });
    expect(validateTags([{ key: 'awsome', value: '' }])).toHaveLength(1);
  });

  it('a key may not appear twice in one request', () => {
    const error = caught(() =>
      validateTags([
        { key: 'env', value: 'a' },
        { key: 'env', value: 'b' },
      ]),
    );
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'tags[1].key' });
  });

  it('51 tags in one request are refused, 50 accepted', () => {
    expect(validateTags(many(MAX_TAGS_PER_RESOURCE))).toHaveLength(50);
    expect(caught(() => validateTags(many(51)))).toMatchObject({ code: 'TagLimitExceeded', field: 'tags' });
  });

  it('a tag that is not an object is refused', () => {
    expect(caught(() => validateTags(['env=prod']))).toMatchObject({ field: 'tags[0]' });
    expect(caught(() => validateTags('env'))).toMatchObject({ field: 'tags' });
  });

  it('adding a tag with an existing key overwrites its value in place', () => {
    expect(
      applyTagChanges(
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
        [
          { key: 'a', value: '9' },
          { key: 'c', value: '3' },
        ],
      ),
    ).toEqual([
      { key: 'a', value: '9' },
      { key: 'b', value: '2' },
      { key: 'c', value: '3' },
    ]);
  });

  it('removing keys removes those tags; an absent key is ignored', () => {
    expect(
      applyTagChanges(
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
        [],
        ['a', 'zzz'],
      ),
    ).toEqual([{ key: 'b', value: '2' }]);
  });

  it('a resource can hold at most 50 tags after a change', () => {
    expect(applyTagChanges(many(49), many(1, 'n'))).toHaveLength(50);
    expect(caught(() => applyTagChanges(many(50), many(1, 'n')))).toMatchObject({ code: 'TagLimitExceeded' });
    expect(applyTagChanges(many(50), [{ key: 'k0', value: 'new' }])).toHaveLength(50); // overwrite does not add
  });

  it('tag keys to delete follow the key rules', () => {
    expect(validateTagKeys(['a', 'a', 'b'])).toEqual(['a', 'b']);
    expect(caught(() => validateTagKeys(['aws:x']))).toMatchObject({ field: 'tagKeys[0]' });
    expect(caught(() => validateTagKeys('a'))).toMatchObject({ field: 'tagKeys' });
  });

  it('applying changes leaves the existing list untouched', () => {
    const existing = [{ key: 'a', value: '1' }];
    applyTagChanges(existing, [{ key: 'a', value: '2' }]);
    expect(existing).toEqual([{ key: 'a', value: '1' }]);
  });
});
