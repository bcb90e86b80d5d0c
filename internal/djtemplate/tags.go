package djtemplate

// builtinTags returns every tag the engine compiles.
func builtinTags() map[string]tagFunc {
	return map[string]tagFunc{
		"load":           compileLoad,
		"csrf_token":     compileCSRFToken,
		"comment":        compileComment,
		"if":             compileIf,
		"for":            compileFor,
		"with":           compileWith,
		"autoescape":     compileAutoescape,
		"extends":        compileExtends,
		"block":          compileBlock,
		"include":        compileInclude,
		"plugitInclude":  compilePlugitInclude,
		"plugitGetUser":  compilePlugitGetUser,
		"spaceless":      compileSpaceless,
		"verbatim":       compileVerbatim,
		"templatetag":    compileTemplateTag,
		"firstof":        compileFirstOf,
		"cycle":          compileCycle,
		"ifchanged":      compileIfChanged,
		"ifequal":        compileIfEqual,
		"ifnotequal":     compileIfEqual,
		"regroup":        compileRegroup,
		"filter":         compileFilterTag,
		"widthratio":     compileWidthRatio,
		"now":            compileNow,
		"url":            compileURL,
		"static":         compileStatic,
		"trans":          compileTrans,
		"translate":      compileTrans,
		"blocktrans":     compileBlockTrans,
		"blocktranslate": compileBlockTrans,
	}
}
