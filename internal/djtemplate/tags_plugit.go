package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// plugitIncludeNode renders the template of another action of the same
// service with the current context.
type plugitIncludeNode struct {
	tok    *token
	action *filterExpr
}

func compilePlugitInclude(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) != 2 {
		return nil, errors.New(`"plugitInclude" takes one argument: the action whose template to include`)
	}

	action, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	return &plugitIncludeNode{tok: tok, action: action}, nil
}

func (n *plugitIncludeNode) render(s *state, w *strings.Builder) error {
	if s.hooks == nil {
		return errors.New(`"plugitInclude" is not available: no hooks were given to Render`)
	}

	v, err := n.action.resolve(s, false)
	if err != nil {
		return err
	}

	action := strings.TrimLeft(pyStr(v), "/")
	t, err := s.hooks.IncludeTemplate(action)
	if err != nil {
		return fmt.Errorf("including the template of action %q: %w", action, err)
	}

	if t == nil {
		return fmt.Errorf("including the template of action %q: no template", action)
	}

	return renderNested(s, w, t, nil, false)
}

// plugitGetUserNode loads a user's released properties into a variable.
type plugitGetUserNode struct {
	pk   *filterExpr
	name string
}

func compilePlugitGetUser(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) != 4 || bits[2] != "as" {
		return nil, errors.New(`"plugitGetUser" should be used as {% plugitGetUser pk as variable %}`)
	}

	pk, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	return &plugitGetUserNode{pk: pk, name: bits[3]}, nil
}

func (n *plugitGetUserNode) render(s *state, _ *strings.Builder) error {
	if s.hooks == nil {
		return errors.New(`"plugitGetUser" is not available: no hooks were given to Render`)
	}

	v, err := n.pk.resolve(s, false)
	if err != nil {
		return err
	}

	user, err := s.hooks.GetUser(pyStr(v))
	if err != nil {
		return fmt.Errorf("getting user %s: %w", pyStr(v), err)
	}

	var value any
	if user != nil {
		d, _ := dictFromGo(user)
		value = d
	}
	s.set(n.name, value)

	return nil
}

// plugitFilters returns the filters PlugIt adds to Django's.
func plugitFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"url_target_blank": {fn: filterURLTargetBlank, safe: true},
	}
}

// filterURLTargetBlank adds target="_blank" to every <a tag.
func filterURLTargetBlank(_ *filterContext, v any) (any, error) {
	return strings.ReplaceAll(pyStr(v), "<a ", `<a target="_blank" `), nil
}
