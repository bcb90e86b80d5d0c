"""PlugIt's template tags for the golden-file generator.

The tags behave as the Go engine's test hooks do: plugitInclude renders
actions/<action>.html from the template directory with the current context,
and plugitGetUser stores {"pk": pk, "username": "user" + pk}.
"""
from django import template
from django.template.defaultfilters import stringfilter

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def url_target_blank(text):
    return text.replace('<a ', '<a target="_blank" ')


class PlugitIncludeNode(template.Node):
    def __init__(self, action):
        self.action = action

    def render(self, context):
        action = str(self.action.resolve(context)).lstrip('/')
        included = context.template.engine.get_template('actions/%s.html' % action)
        with context.push():
            return included.render(context)


@register.tag
def plugitInclude(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('plugitInclude takes one argument')
    return PlugitIncludeNode(parser.compile_filter(bits[1]))


class PlugitGetUserNode(template.Node):
    def __init__(self, pk, name):
        self.pk = pk
        self.name = name

    def render(self, context):
        pk = str(self.pk.resolve(context))
        context[self.name] = {'pk': pk, 'username': 'user' + pk}
        return ''


@register.tag
def plugitGetUser(parser, token):
    bits = token.split_contents()
    if len(bits) != 4 or bits[2] != 'as':
        raise template.TemplateSyntaxError('plugitGetUser pk as variable')
    return PlugitGetUserNode(parser.compile_filter(bits[1]), bits[3])
