import { MessagePage, type PageLanguage } from './layout.js';

/** What is stored, why, for how long, and how to delete it; linked from the form, every page and every list email. */
export function PrivacyPage(props: PageLanguage & { pendingDays: number; graceDays: number }) {
  const { privacy } = props.text;
  return (
    <MessagePage title={privacy.title} text={props.text} locale={props.locale} switchPath="/privacy">
      <p>{privacy.intro}</p>
      <h2>{privacy.whatHeading}</h2>
      <ul>
        {privacy.what.map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      <h2>{privacy.howLongHeading}</h2>
      <ul>
        {privacy.howLong(props.pendingDays, props.graceDays).map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      <h2>{privacy.neverHeading}</h2>
      <p>{privacy.never}</p>
      <h2>{privacy.rightsHeading}</h2>
      <p>{privacy.rights}</p>
    </MessagePage>
  );
}
