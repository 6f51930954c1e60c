const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let k = logFactorials.length; k <= n; k++) {
    logFactorials.push(logFactorials[k - 1] + Math.log(k));
  }
  return logFactorials[n];
}

/**
 * `E[ceil(X / width)]` for `X ~ Binomial(n, d)`: the expected number of `width`-wide vectors a
 * PE fetches to cover the non-zero activations of an `n`-position tile when each position is
 * non-zero with probability `d`, independently.
 */
export function expectedVectors(n: number, d: number, width: number): number {
  if (n <= 0 || d <= 0) return 0;
  if (d >= 1) return Math.ceil(n / width);
  if (n <= width) return 1 - Math.pow(1 - d, n);
  const ld = Math.log(d);
  const lq = Math.log1p(-d);
  const lfn = logFactorial(n);
  let sum = 0;
  for (let x = 1; x <= n; x++) {
    const lp = lfn - logFactorial(x) - logFactorial(n - x) + x * ld + (n - x) * lq;
    if (lp > -745) sum += Math.exp(lp) * Math.ceil(x / width);
  }
  return sum;
}
