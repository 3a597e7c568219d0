// Deterministic number format for CSV fields. The same double always gives the same text, on
// every platform and Node version (ECMAScript fixes Number.prototype.toString exactly).
//
//   NaN                       -> ''  (empty field: metric undefined)
//   +Infinity / -Infinity     -> 'inf' / '-inf'
//   safe integers (|v| <= 2^53 - 1) -> all digits, no exponent ('-0' prints as '0')
//   anything else             -> rounded to 12 significant digits, trailing zeros dropped;
//                                fixed notation for |v| in [1e-6, 1e21) (so always in
//                                [1e-6, 1e15)), exponent notation outside ('1.5e-7', '1e+21')
//
// 12 digits keep the noise of the last bits (0.1 + 0.2) out of the files while leaving far more
// precision than any simulated quantity has.

const SIGNIFICANT_DIGITS = 12;

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
  // toPrecision rounds half away from zero on the exact binary value; String() of the result is
  // the shortest text that reads back to it, which has at most 12 significant digits.
  const rounded = Number(v.toPrecision(SIGNIFICANT_DIGITS));
  return rounded === 0 ? '0' : String(rounded);
}
