// One instance of the wasm kernel module on one WebAssembly.Memory of fixed size: long-lived buffers (parameters,
// gradients, batch) are bump-allocated from the bottom and handed out as Float32Array views; per-call copies of
// arguments that live elsewhere come from the top and are released when the call returns.
import { kernelWasmBase64 } from './kernel-bytes.js';

/** core/wasm/assembly/signs.ts's layer-1 weight gradient on +-1 inputs (fast and exact). */
type SignWeightGradient = (
  dw: number,
  db: number,
  dh: number,
  inp: number,
  dout: number,
  B: number,
  I: number,
  O: number,
  dwt: number,
  masks: number,
  rows: number,
) => void;

/** The module's exports: pointers are byte offsets into the memory, dimensions as in core/mlp.ts. */
export type WasmExports = {
  heapBase(): number;
  linearForwardExact(out: number, inp: number, w: number, bias: number, B: number, I: number, O: number, wt: number): void;
  linearForwardFast(out: number, inp: number, w: number, bias: number, B: number, I: number, O: number, wt: number): void;
  reluForward(out: number, inp: number, N: number): void;
  reluBackward(dinp: number, dout: number, out: number, N: number): void;
  inputGradientExact(dinp: number, dout: number, w: number, B: number, I: number, O: number): void;
  inputGradientFast(dinp: number, dout: number, w: number, B: number, I: number, O: number): void;
  backwardThroughReluSingle(dinp: number, dout: number, w: number, active: number, B: number, I: number): void;
  weightGradientExact(dw: number, db: number, dout: number, inp: number, B: number, I: number, O: number): void;
  weightGradientFast(dw: number, db: number, dout: number, inp: number, B: number, I: number, O: number): void;
  applyUpdate(param: number, grad: number, N: number, lr: number, wd: number): void;
  l2NormFast(values: number, N: number): number;
  oneHotHiddenForward(h: number, hot: number, hotPerRow: number, w: number, bias: number, B: number, I: number, O: number, wt: number): void;
  oneHotWeightGradient(dw: number, db: number, dh: number, hot: number, hotPerRow: number, B: number, I: number, H: number): void;
  buildSignTables(table: number, w: number, I: number, O: number, wt: number, acc: number): void;
  signLookupForward(h: number, inp: number, bias: number, B: number, I: number, O: number, table: number, offsets: number, acc: number): void;
  /** Rank kept, or -1 - l when QL did not converge for eigenvalue l. */
  orthogonalizeExact(grad: number, rows: number, cols: number, workspace: number): number;
  orthogonalizeWorkspaceBytes(rows: number, cols: number): number;
  evaluateSigns(...pointersAndDimensions: number[]): void;
  signWeightGradientFast: SignWeightGradient;
  signWeightGradientExact: SignWeightGradient;
  signHiddenFast(h: number, inp: number, w: number, bias: number, B: number, I: number, O: number, wt: number, masks: number, transposed: number): void;
};

const PAGE = 65536;
const ALIGN = 16;

let compiled: WebAssembly.Module | null = null;
let decoded: Uint8Array<ArrayBuffer> | null = null;
/** wasmSimdAvailable() on this engine, found once (every run asks). */
let availableHere: boolean | null = null;

/** The module's bytes, decoded (once) from the generated core/wasm/kernel-bytes.ts. */
export function kernelWasmBytes(): Uint8Array<ArrayBuffer> {
  if (decoded) return decoded;
  const text = atob(kernelWasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return (decoded = bytes);
}

/** The part of the WebAssembly API the SIMD check needs (injectable: a test hands in an engine without SIMD). */
export type WasmEngine = { validate(bytes: Uint8Array<ArrayBuffer>): boolean };

/** A tiny module whose one function returns v128.const 0: it validates exactly where 128-bit SIMD is there. */
export const tinySimdModule = Uint8Array.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b,
  0x03,
  0x02,
  0x01,
  0x00,
  0x0a,
  0x16,
  0x01,
  0x14,
  0x00,
  0xfd,
  0x0c,
  ...new Array<number>(16).fill(0),
  0x0b,
]);

/** Whether this engine runs the module: it validates a tiny SIMD module, then the kernels. False means use the TS kernels. */
export function wasmSimdAvailable(engine?: WasmEngine): boolean {
  if (engine) return engine.validate(tinySimdModule) && engine.validate(kernelWasmBytes());
  availableHere ??= typeof WebAssembly === 'object' && WebAssembly.validate(tinySimdModule) && WebAssembly.validate(kernelWasmBytes());
  return availableHere;
}

export class WasmArena {
  readonly exports: WasmExports;
  readonly memory: WebAssembly.Memory;
  /** memory.buffer, read once: the memory never grows, so it never changes. */
  private readonly buffer: ArrayBuffer;
  private bottom: number;
  private top: number;
  private readonly capacity: number;
  private readonly scratches = new Map<string, { offset: number; bytes: number }>();
  private readonly pointers: number[] = [];

  /** capacityBytes: the whole memory, fixed (growing it would detach every view handed out so far). */
  constructor(capacityBytes = 64 * 1024 * 1024) {
    compiled ??= new WebAssembly.Module(kernelWasmBytes());
    const pages = Math.ceil(capacityBytes / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as WasmExports;
    this.buffer = this.memory.buffer;
    this.capacity = pages * PAGE;
    this.bottom = align(this.exports.heapBase());
    this.top = this.capacity;
  }

  /** A zeroed view of `length` floats that lives as long as the arena. */
  allocate(length: number): Float32Array {
    // Zeroed explicitly: the region may have held per-call copies before.
    return new Float32Array(this.buffer, this.reserve(length), length).fill(0);
  }

  /** Bytes still free between the long-lived buffers and the per-call copies. */
  get freeBytes(): number {
    return this.top - this.bottom;
  }

  /** A scratch region of at least `floats` 4-byte words, one per name, reused across calls (zeroed when first made). */
  scratch(floats: number, name = 'transposed'): number {
    const known = this.scratches.get(name);
    if (known && known.bytes >= floats * 4) return known.offset;
    const offset = this.reserve(floats);
    new Uint8Array(this.buffer, offset, floats * 4).fill(0);
    this.scratches.set(name, { offset, bytes: floats * 4 });
    return offset;
  }

  /** Pointer to `length` int32s of values (copied for this call unless values is a view on the memory). */
  int32(values: Int32Array, length: number): number {
    if (values.buffer === this.buffer) return values.byteOffset;
    const offset = this.temporary(length * 4);
    new Int32Array(this.buffer, offset, length).set(values.subarray(0, length));
    return offset;
  }

  /**
   * Runs kernel with pointers to [...outputs, ...inputs]; arrays not on the memory are copied in first, and outputs
   * copied back after. In-place calls (the same view as output and input) work as the TS kernels do.
   */
  call(outputs: Float32Array[], inputs: Float32Array[], kernel: (pointers: number[]) => void): void {
    if (this.allOnMemory(outputs) && this.allOnMemory(inputs)) {
      // The training loop's case: no copies, no allocation. A kernel may still take per-call copies (one-hot
      // indices through int32): they are released here too, or every step would leak them until the memory is full.
      const pointers = this.pointers;
      pointers.length = 0;
      for (const array of outputs) pointers.push(array.byteOffset);
      for (const array of inputs) pointers.push(array.byteOffset);
      const mark = this.top;
      try {
        kernel(pointers);
      } finally {
        this.top = mark;
      }
      return;
    }
    const mark = this.top;
    const copies: Array<[Float32Array, number] | null> = [];
    const pointers: number[] = [];
    for (const array of [...outputs, ...inputs]) {
      if (array.buffer === this.buffer) {
        pointers.push(array.byteOffset);
        copies.push(null);
        continue;
      }
      const offset = this.temporary(array.length * 4);
      new Float32Array(this.buffer, offset, array.length).set(array);
      pointers.push(offset);
      copies.push([array, offset]);
    }
    try {
      kernel(pointers);
      for (let j = 0; j < outputs.length; j++) {
        const copy = copies[j];
        if (copy) copy[0].set(new Float32Array(this.buffer, copy[1], copy[0].length));
      }
    } finally {
      this.top = mark;
    }
  }

  private allOnMemory(arrays: Float32Array[]): boolean {
    const buffer = this.buffer;
    for (const array of arrays) if (array.buffer !== buffer) return false;
    return true;
  }

  private reserve(floats: number): number {
    const offset = this.bottom;
    const end = align(offset + floats * 4);
    if (end > this.top) throw this.full(floats * 4);
    this.bottom = end;
    return offset;
  }

  private temporary(bytes: number): number {
    const offset = (this.top - bytes) & ~(ALIGN - 1);
    if (offset < this.bottom) throw this.full(bytes);
    this.top = offset;
    return offset;
  }

  private full(bytes: number): Error {
    return new Error(
      `core/wasm/arena.ts: the wasm memory (${this.capacity} bytes) has ${this.top - this.bottom} bytes free and ${bytes} are needed; ` +
        'create the WasmArena with a larger capacityBytes',
    );
  }
}

function align(offset: number): number {
  return (offset + ALIGN - 1) & ~(ALIGN - 1);
}
