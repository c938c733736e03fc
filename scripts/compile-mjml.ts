/**
 * The one way templates are compiled: MJML at its strict validation level, so that an invalid
 * template (an unknown attribute, a component in the wrong parent, in a partial too) stops the
 * build instead of shipping whatever MJML made of it.
 */
import mjml2html from 'mjml';

/** What the compiler is told for every template; `templatesDir` is where `<mj-include>` paths start. */
export function mjmlOptions(templatesDir: string) {
  return {
    validationLevel: 'strict',
    keepComments: false,
    // Smaller mail (Gmail clips past 102 KB) and smaller Lambda bundles.
    minify: true,
    // CSS is left alone: its minifier is an optional extra, and the styles are few.
    minifyOptions: { minifyCss: false },
    ignoreIncludes: false,
    includePath: templatesDir,
  } as const;
}

/**
 * Compiles one MJML source to HTML; throws on any validation error.
 *
 * @example
 * const html = await compileMjml(await readFile(path, 'utf8'), path, templatesDir);
 */
export async function compileMjml(source: string, filePath: string, templatesDir: string): Promise<string> {
  // At the strict level MJML 5 throws a ValidationError itself; the check below keeps the build
  // loud should an option or a future version report errors without throwing.
  const result = await mjml2html(source, { ...mjmlOptions(templatesDir), filePath });
  if (result.errors.length > 0) {
    throw new Error(`${filePath}: MJML validation failed:\n${result.errors.map((error) => error.formattedMessage).join('\n')}`);
  }
  return result.html;
}
