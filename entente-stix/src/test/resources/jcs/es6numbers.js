// Writes "hex,expected" lines: IEEE-754 doubles and ECMAScript's Number::toString of each.
// Usage: node es6numbers.js COUNT SEED
const count = Number(process.argv[2] || 10000);
let state = BigInt(process.argv[3] || 1) | 1n;
const M = (1n << 64n) - 1n;
function next() { // xorshift64*
  state ^= state >> 12n; state ^= (state << 25n) & M; state ^= state >> 27n;
  return (state * 0x2545F4914F6CDD1Dn) & M;
}
const buf = Buffer.alloc(8);
const out = [];
function emit(bits) {
  buf.writeBigUInt64BE(bits);
  const d = buf.readDoubleBE(0);
  if (!Number.isFinite(d)) return;
  out.push(bits.toString(16) + ',' + String(d));
  if (out.length >= 100000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
}
function fromDouble(d) { buf.writeDoubleBE(d); return buf.readBigUInt64BE(0); }
for (let i = 0; i < count; i++) {
  const r = next();
  switch (Number(r % 8n)) {
    case 0: case 1: case 2: emit(next()); break;                                  // any bit pattern
    case 3: emit((next() % 2n << 63n) | (next() % (1n << BigInt(1 + Number(next() % 52n))))); break; // subnormals
    case 4: { // a few decimal digits and an exponent
      const digits = Number(next() % 100000n), e = Number(next() % 60n) - 30;
      emit(fromDouble(Number(digits + 'e' + e))); break; }
    case 5: { // neighbours of powers of ten (where the notation changes)
      const e = Number(next() % 60n) - 30, delta = next() % 5n;
      const b = fromDouble(Number('1e' + e));
      emit(r & 1n ? b + delta : b - delta); break; }
    case 6: emit(fromDouble(Number(next() % (1n << 54n)))); break;               // integers up to 2^54
    default: emit(fromDouble(Number(next() % 1000000n) / 1000)); break;          // prices and percentages
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
