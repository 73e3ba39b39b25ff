import path from 'node:path';
import protobuf from 'protobufjs';

// The vendored opentelemetry-proto files, parsed by protobufjs. Only the descriptor writer and its
// test read them: at run time the committed descriptor (otlp-metrics.descriptor.json) is loaded
// instead, since a bundled route cannot rely on finding .proto files beside its source.

export const PROTO_DIR = import.meta.dirname;
export const ENTRY_PROTO = 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto';
export const DESCRIPTOR_FILE = path.join(PROTO_DIR, 'otlp-metrics.descriptor.json');

export function loadVendoredRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // Imports are written from the proto root ("opentelemetry/proto/..."), as upstream lays them out.
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync(ENTRY_PROTO);
  root.resolveAll();
  return root;
}

/** The descriptor as committed: protobufjs's own JSON form of the vendored files, two-space indented. */
export function vendoredDescriptorText(): string {
  return `${JSON.stringify(loadVendoredRoot().toJSON(), null, 2)}\n`;
}
