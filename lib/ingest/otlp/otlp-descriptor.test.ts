import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DESCRIPTOR_FILE, vendoredDescriptorText } from './proto/vendored-root.ts';

test('the committed descriptor is exactly what protobufjs makes of the vendored .proto files', () => {
  expect(readFileSync(DESCRIPTOR_FILE, 'utf8')).toBe(vendoredDescriptorText());
});
