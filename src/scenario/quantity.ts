// Kubernetes resource quantities, parsed exactly.
//
// kube: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity,
// parseQuantityString, Quantity.MilliValue, Quantity.Value).
//
//   <quantity>        ::= <signedNumber><suffix>
//   <signedNumber>    ::= [+-] (<digits> | <digits>.<digits> | <digits>. | .<digits>)
//   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei          (powers of 1024)
//   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E (powers of 1000)
//   <decimalExponent> ::= e<signedInt> | E<signedInt>        (`E` alone is exa)
//
// ParseQuantity rounds a non-zero value away from zero to nano precision ("0.1n" is 1n), so
// every parsed quantity is an integer number of nano-units and is kept as a BigInt: no float
// ever touches the arithmetic. The accessors round up like kube's ScaledValue:
// `MilliValue() = ceil(q * 1000)`, `Value() = ceil(q)` (so "100m".Value() == 1).

/** An exact quantity: an integer count of nano-units (10^-9). */
export interface Quantity {
  readonly nano: bigint;
}

export type QuantityResult = { ok: true; value: Quantity } | { ok: false; message: string };

const NANO = 1_000_000_000n;
/** Largest |exponent| accepted; larger ones only describe absurd amounts. */
const MAX_EXPONENT = 1000;

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const SUFFIX_LIST = 'n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>';

/** ceil(a / b) for b > 0 (BigInt division truncates toward zero). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? (a + b - 1n) / b : a / b;
}

export function parseQuantity(input: string | number): QuantityResult {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: `invalid quantity ${String(input)}: not a finite number` };
    s = String(input); // shortest round-trip decimal; exponents come out as e+21 / e-7
  } else {
    s = input;
  }
  const bad = (why: string): QuantityResult => ({ ok: false, message: `invalid quantity ${JSON.stringify(s)}: ${why}` });
  if (s.length === 0) return bad('empty');

  // kube: parseQuantityString
  let i = 0;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const intStart = i;
  while (i < s.length && isDigit(s[i]!)) i++;
  const intDigits = s.slice(intStart, i);
  let fracDigits = '';
  if (s[i] === '.') {
    i++;
    const fracStart = i;
    while (i < s.length && isDigit(s[i]!)) i++;
    fracDigits = s.slice(fracStart, i);
  }
  if (intDigits.length + fracDigits.length === 0) return bad(`must start with a number, e.g. "500m" or "2Gi"`);
  const suffix = s.slice(i);

  // numerator / 10^scale is the number before the suffix
  const mantissa = BigInt(intDigits + fracDigits || '0');
  const scale = fracDigits.length;

  let nanoExact: { num: bigint; den: bigint };
  if (suffix in BINARY) {
    const mult = 1n << BigInt(BINARY[suffix]!);
    nanoExact = { num: mantissa * mult * NANO, den: 10n ** BigInt(scale) };
  } else {
    let exp: number;
    if (suffix in DECIMAL) {
      exp = DECIMAL[suffix]!;
    } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
      exp = Number(suffix.slice(1));
      if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) return bad(`exponent ${suffix.slice(1)} is out of range`);
    } else {
      return bad(unknownSuffix(suffix));
    }
    const net = exp + 9 - scale; // value in nano-units = mantissa * 10^net
    nanoExact = net >= 0 ? { num: mantissa * 10n ** BigInt(net), den: 1n } : { num: mantissa, den: 10n ** BigInt(-net) };
  }
  // kube: ParseQuantity rounds non-zero values up (away from zero) to nano precision.
  const magnitude = ceilDiv(nanoExact.num, nanoExact.den);
  return { ok: true, value: { nano: negative ? -magnitude : magnitude } };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function unknownSuffix(suffix: string): string {
  const hint: Record<string, string> = {
    K: 'use k or Ki',
    ki: 'use Ki',
    KI: 'use Ki',
    mi: 'use Mi',
    MI: 'use Mi',
    gi: 'use Gi',
    GI: 'use Gi',
    g: 'use G or Gi',
    ti: 'use Ti',
    TI: 'use Ti',
    t: 'use T or Ti',
    pi: 'use Pi',
    PI: 'use Pi',
    ei: 'use Ei',
    EI: 'use Ei',
  };
  const h = hint[suffix];
  if (h !== undefined) return `unknown suffix ${JSON.stringify(suffix)} (Kubernetes suffixes are case-sensitive: ${h})`;
  if (/^[kKMGTPE][bB]$/.test(suffix)) {
    const c = suffix[0] === 'K' ? 'k' : suffix[0]!;
    return `unknown suffix ${JSON.stringify(suffix)} (Kubernetes has no byte suffix: use ${c} or ${c.toUpperCase()}i)`;
  }
  return `unknown suffix ${JSON.stringify(suffix)} (expected ${SUFFIX_LIST})`;
}

/** kube: Quantity.MilliValue = ceil(q * 1000); cpu is counted in millicores. */
export function milliValue(q: Quantity): number {
  return Number(ceilDiv(q.nano, 1_000_000n));
}

/** kube: Quantity.Value = ScaledValue(0) = ceil(q); memory, storage, pods and extended resources. */
export function value(q: Quantity): number {
  return Number(ceilDiv(q.nano, NANO));
}

/** ceil(q * 1000) as an exact BigInt (kube: SetDefaults_ResourceList rounds lists up to milli scale). */
export function milliBig(q: Quantity): bigint {
  return ceilDiv(q.nano, 1_000_000n);
}
