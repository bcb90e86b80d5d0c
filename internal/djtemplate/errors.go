package djtemplate

import (
	"errors"
	"fmt"
)

// Error is a template error that points at the offending tag, variable or
// filter: the template name, the 1-based line and column, and the token text.
type Error struct {
	// Template is the name given to Engine.Compile or the path of a loaded template.
	Template string
	// Line is the 1-based line of the token that failed.
	Line int
	// Column is the 1-based column, in characters, where the token starts.
	Column int
	// Token is the text of the offending tag or variable, such as "{% foo %}".
	Token string
	// Err is the underlying cause.
	Err error
}

// Error formats the template name, position, cause and token.
func (e *Error) Error() string {
	msg := fmt.Sprintf("djtemplate: template %q line %d column %d: %v", e.Template, e.Line, e.Column, e.Err)
	if e.Token != "" {
		msg += " in " + e.Token
	}

	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrUnsupported is wrapped by errors about a tag or filter that Django has
// but this package does not implement, or that is not a Django name at all.
var ErrUnsupported = errors.New("djtemplate: unsupported")

// errorAt wraps err with the position of tok unless err already has one.
func errorAt(name string, tok *token, err error) error {
	if err == nil {
		return nil
	}

	var te *Error
	if errors.As(err, &te) {
		return err
	}

	e := &Error{Template: name, Err: err}
	if tok != nil {
		e.Line, e.Column, e.Token = tok.line, tok.col, tok.raw
	}

	return e
}
