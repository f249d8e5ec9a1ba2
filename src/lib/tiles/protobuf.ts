/**
 * A minimal Protocol Buffers writer (https://protobuf.dev/programming-guides/encoding/): enough
 * for MapLibre glyph ranges and Mapbox Vector Tiles. Fields are written in the order given.
 */
export class ProtobufWriter {
	private chunks: number[] = [];

	private varint(value: number): void {
		// Non-negative integers up to 2^53: shifting would wrap at 32 bits, so divide.
		let v = value;
		while (v >= 0x80) {
			this.chunks.push((v % 0x80) | 0x80);
			v = Math.floor(v / 0x80);
		}
		this.chunks.push(v);
	}

	private tag(field: number, wireType: 0 | 1 | 2): void {
		this.varint(field * 8 + wireType);
	}

	uint(field: number, value: number): this {
		if (!Number.isInteger(value) || value < 0) throw new Error(`field ${field}: ${value} is not a non-negative integer`);
		this.tag(field, 0);
		this.varint(value);
		return this;
	}

	/** A signed integer, zig-zag encoded (sint32). */
	sint(field: number, value: number): this {
		this.tag(field, 0);
		this.varint(zigzag(value));
		return this;
	}

	/** A 64-bit float (wire type 1, little-endian). */
	double(field: number, value: number): this {
		this.tag(field, 1);
		for (const b of new Uint8Array(new Float64Array([value]).buffer)) this.chunks.push(b);
		return this;
	}

	bytes(field: number, value: Uint8Array): this {
		this.tag(field, 2);
		this.varint(value.length);
		for (const b of value) this.chunks.push(b);
		return this;
	}

	string(field: number, value: string): this {
		return this.bytes(field, new TextEncoder().encode(value));
	}

	message(field: number, build: (w: ProtobufWriter) => void): this {
		const inner = new ProtobufWriter();
		build(inner);
		return this.bytes(field, inner.finish());
	}

	/** A packed repeated field of non-negative integers. */
	packed(field: number, values: readonly number[]): this {
		const inner = new ProtobufWriter();
		for (const v of values) inner.varint(v);
		return this.bytes(field, inner.finish());
	}

	finish(): Uint8Array {
		return Uint8Array.from(this.chunks);
	}
}

export const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
