import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** The frame of every page: language, title, one stylesheet, a header and the privacy link. */
export function Layout(props: { title: string; children: Child; script?: string }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · optout-countdown`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <header class="site">
          <a href="/">optout-countdown</a>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          <a href="/privacy">Privacy: what we store and how to delete it</a>
        </footer>
        {props.script ? <script dangerouslySetInnerHTML={{ __html: props.script }} /> : null}
      </body>
      </html>
    </>
  );
}

/** A page that says one thing, with an optional button that POSTs back. */
export function MessagePage(props: { title: string; children: Child }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
