// Rewrites otlp-metrics.descriptor.json from the vendored .proto files, after they are updated:
//   npx tsx lib/ingest/otlp/proto/write-descriptor.ts
import { writeFileSync } from 'node:fs';
import { DESCRIPTOR_FILE, vendoredDescriptorText } from './vendored-root.ts';

writeFileSync(DESCRIPTOR_FILE, vendoredDescriptorText());
console.log(`wrote ${DESCRIPTOR_FILE}`);
