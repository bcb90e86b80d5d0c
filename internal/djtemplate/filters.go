package djtemplate

// maxOutputWidth bounds the padding and decimal places a filter argument
// can ask for. Django would try to allocate them and fail with
// MemoryError; the engine fails early with an error instead.
const maxOutputWidth = 1 << 16

// argMode specifies whether a filter takes an argument.
type argMode int

const (
	argNone argMode = iota
	argOptional
	argRequired
)

// filterDef describes a filter. When safe is set and the input is safe
// text, the result is marked safe too, as Django does for is_safe filters.
type filterDef struct {
	fn   filterFunc
	arg  argMode
	safe bool
}

// filterFunc computes a filter's output for the value v.
type filterFunc func(fc *filterContext, v any) (any, error)

// filterContext carries the argument and render state into a filter.
type filterContext struct {
	state  *state
	name   string
	arg    any
	hasArg bool
}

// autoescape reports whether auto-escaping is on where the filter runs.
func (fc *filterContext) autoescape() bool { return fc.state.autoescape }

// builtinFilters returns every filter the engine provides.
func builtinFilters() map[string]*filterDef {
	m := map[string]*filterDef{}
	for _, group := range []map[string]*filterDef{
		stringFilters(), htmlFilters(), listFilters(), numberFilters(),
		dateFilters(), logicFilters(), humanizeFilters(), plugitFilters(),
	} {
		for name, def := range group {
			m[name] = def
		}
	}

	return m
}
