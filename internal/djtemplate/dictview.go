package djtemplate

// dictView is the result of dict.keys, dict.values or dict.items: it
// iterates like a list and prints as Python prints the view, such as
// "dict_keys(['a', 'b'])".
type dictView struct {
	kind  string
	items []any
}

// String prints the view as Python's repr does.
func (v *dictView) String() string {
	return "dict_" + v.kind + "(" + pyRepr(v.items) + ")"
}
