package postgres

// NearestSQL exposes the nearest-neighbour statement to the external
// tests, which EXPLAIN it to check that it reads the per-type index.
var NearestSQL = nearestSQL
