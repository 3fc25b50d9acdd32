// Package models trains and serves the collection-risk model: the
// probability that an invoice is paid more than N days late or not at all,
// from the rows of package features.
//
// Two model families are trained on a temporal split and the one with the
// better validation AUC serves:
//
//   - "logistic": L2-regularised logistic regression on standardised
//     columns, fitted by Newton's method with gonum (deterministic). Each
//     column's contribution is its coefficient times its standardised value,
//     in log-odds.
//   - "golearn-forest": bagged ID3 trees grown by golearn on quantile-binned
//     columns. golearn's own RandomForest is not used: its bootstrap view
//     decouples features from labels (see forest.go) and it draws from the
//     global random source, so it is neither right nor repeatable. Trees
//     predict labels only, so the probability is the mean of the leaves'
//     smoothed positive frequencies; a column's contribution is the change in
//     that frequency along each tree's path where the tree splits on it.
//
// Scores of either family are calibrated (Platt scaling by default, or
// isotonic regression) on a time slice later than the training data, and
// judged on a still later slice: AUC, Brier score, expected calibration
// error and log loss (see Metrics). Train returns the model and a Report of
// both families and the baselines; Model.Encode and Decode store a model as
// JSON, refusing one built for other feature columns.
//
// This is the only package that imports golearn.
package models
