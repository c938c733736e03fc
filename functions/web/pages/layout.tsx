import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { Locale, pathIn } from '../../domain/locale.js';
import { textFor, type Text } from '../../locales/index.js';

/** Where a page lives, so the language links can point at the same page in another language. */
export interface PageLanguage {
  text: Text;
  locale: Locale;
  /** The path of this page without `?lang`; shown only on pages anyone may open. */
  switchPath?: string;
}

/** The operator's pages are in English only. */
export const OPERATOR_LANGUAGE: PageLanguage = { text: textFor('en'), locale: 'en' };

/** The frame of every page: language, title, one stylesheet, a header and the privacy link. */
export function Layout(props: PageLanguage & { title: string; children: Child; script?: string }) {
  const { text, locale } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · optout-countdown`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {text.site.skipToContent}
        </a>
        <header class="site">
          <a href={pathIn('/', locale)}>optout-countdown</a>
          {props.switchPath !== undefined && (
            <nav aria-label={text.site.languageLabel}>
              {Locale.options
                .filter((other) => other !== locale)
                .map((other) => (
                  <a href={`${props.switchPath}?lang=${other}`} lang={other} hreflang={other}>
                    {textFor(other).languageName}
                  </a>
                ))}
            </nav>
          )}
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <a href={pathIn('/privacy', locale)}>{text.site.privacyLink}</a>
        </footer>
        {props.script ? <script dangerouslySetInnerHTML={{ __html: props.script }} /> : null}
      </body>
      </html>
    </>
  );
}

/** A page that says one thing, with an optional button that POSTs back. */
export function MessagePage(props: PageLanguage & { title: string; children: Child }) {
  return (
    <Layout {...props}>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
