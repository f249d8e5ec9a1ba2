import { parquetMetadata, parquetReadObjects } from 'hyparquet';

/** Reads a Parquet file with hyparquet (an independent reader: not the writer we ship) — rows and key-value metadata. */
export async function readParquet(bytes: Uint8Array): Promise<{ rows: Record<string, unknown>[]; kv: Record<string, string> }> {
	const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	const metadata = parquetMetadata(file);
	const kv = Object.fromEntries((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value ?? '']));
	const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
	return { rows, kv };
}
