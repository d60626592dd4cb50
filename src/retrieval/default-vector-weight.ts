/**
 * Vector weight used before a corpus has calibrated itself (and when calibration has no
 * sentences to work with): full text carries most of the weight because it is the
 * stronger side on every corpus measured here (bench/README.md).
 */
export const defaultVectorWeight = 0.25;
