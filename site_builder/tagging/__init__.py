"""Topic suggestion: `tagger` (evidence and the decision), `classifier` (what the hand-tagged entries teach),
`evaluation` (how good it is, beside baselines). Import the module you need: the classifier pulls in scikit-learn."""
