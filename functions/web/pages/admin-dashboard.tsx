import { announcedAtOf, deadlineOf, type Campaign } from '../../domain/campaign.js';
import { chartSpan, utcDay } from '../../domain/chart-span.js';
import type { LinkCheck } from '../../domain/link-check.js';
import type { NewsletterIssue } from '../../domain/newsletter.js';
import type { CampaignStats, FeedbackStats, PeopleStats } from '../../domain/stats.js';
import type { FailedMail } from '../../failed-mail.js';
import type { NewsletterSummary } from '../../app/newsletter-send.js';
import { DoneBars, LineChart, type ChartMarker } from './admin-chart.js';
import { Layout, OPERATOR_LANGUAGE } from './layout.js';

export interface AdminStats {
  /** Persons, apart from their subscriptions (which each campaign counts). */
  people: PeopleStats;
  campaigns: Record<string, CampaignStats>;
  feedback: FeedbackStats;
}

/**
 * The span of a campaign's chart: its life from the announcement to the erasure after its
 * deadline, the deadline marked; a standing campaign has no end of its own, so it runs to today.
 */
function campaignSpan(campaign: Campaign, stats: CampaignStats, today: Date, graceDays: number) {
  const deadlineAt = deadlineOf(campaign);
  const deadline = deadlineAt ? utcDay(deadlineAt) : undefined;
  const counted = stats.days.map((day) => day.date).sort();
  // The day it was announced, as written (a bare date), else the UTC day of the instant.
  const announced = campaign.announcedAt.length === 10 ? campaign.announcedAt : utcDay(announcedAtOf(campaign));
  const start = [counted[0] ?? announced, announced].sort()[0] ?? announced;
  const erasure = deadlineAt ? utcDay(deadlineAt, graceDays) : utcDay(today);
  const end = [erasure, counted.at(-1) ?? erasure].sort().at(-1) ?? erasure;
  return chartSpan({ start, deadline, end });
}

function markersFor(days: readonly string[], deadlineIndex: number | undefined, today: Date): ChartMarker[] {
  const markers: ChartMarker[] = [];
  if (deadlineIndex !== undefined) markers.push({ index: deadlineIndex, label: 'deadline', color: '#b42318' });
  const todayIndex = days.indexOf(utcDay(today));
  if (todayIndex >= 0 && todayIndex !== deadlineIndex) markers.push({ index: todayIndex, label: 'today', color: '#4b5563' });
  return markers;
}

function CampaignSection(props: { campaign: Campaign; stats: CampaignStats; today: Date; graceDays: number }) {
  const { campaign, stats, today } = props;
  const { days, deadlineIndex } = campaignSpan(campaign, stats, today, props.graceDays);
  const byDate = new Map(stats.days.map((day) => [day.date, day]));
  // Days still to come have no value yet: the lines stop at today instead of drawing zeros.
  const upToToday = days.filter((date) => date <= utcDay(today));
  const values = (pick: (day: CampaignStats['days'][number]) => number) => upToToday.map((date) => {
    const day = byDate.get(date);
    return day ? pick(day) : 0;
  });
  const rows = campaign.platforms.map((platform) => ({ name: platform.name, ...(stats.totals.platforms[platform.id] ?? { picked: 0, done: 0 }) }));
  return (
    <section>
      <h2>{campaign.title}</h2>
      <p>
        {`${stats.totals.signups} sign-ups, ${stats.totals.confirmations} confirmed, ${stats.totals.unsubscribes} unsubscribed, ${stats.totals.erasures} deleted their data; ${stats.totals.sent} emails sent.`}
      </p>
      {stats.days.length === 0 ? (
        <p class="hint">Nothing counted yet.</p>
      ) : (
        <LineChart
          title={`${campaign.title}: per day, ${days[0] ?? ''} to ${days.at(-1) ?? ''}`}
          days={days}
          markers={markersFor(days, deadlineIndex, today)}
          series={[
            { name: 'Sign-ups', color: '#0b5cad', values: values((d) => d.signups) },
            { name: 'Confirmed', color: '#15803d', values: values((d) => d.confirmations), dashed: true },
            { name: 'Emails sent', color: '#b45309', values: values((d) => d.sent) },
          ]}
        />
      )}
      <p class="funnel">
        {`Funnel: ${stats.totals.signups} signed up → ${stats.totals.confirmations} confirmed → ${rows.map((row) => `${row.done} done on ${row.name}`).join(', ') || 'no platform done'} → ${stats.totals.unsubscribes + stats.totals.erasures} left.`}
      </p>
      <h3>Done per platform</h3>
      <DoneBars title={`${campaign.title}: marked done of those who picked it`} rows={rows} />
      <details>
        <summary>The numbers per day</summary>
        <table>
          <thead>
            <tr>
              <th>Day</th>
              <th>Sign-ups</th>
              <th>Confirmed</th>
              <th>Sent</th>
              <th>Done</th>
              <th>Left</th>
            </tr>
          </thead>
          <tbody>
            {stats.days.map((day) => (
              <tr>
                <td>{day.date}</td>
                <td>{day.signups}</td>
                <td>{day.confirmations}</td>
                <td>{day.sent}</td>
                <td>{Object.values(day.done).reduce((sum, n) => sum + (n ?? 0), 0)}</td>
                <td>{day.unsubscribes + day.erasures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** The operator's page: the numbers as charts, link checks, failed emails and the form that sends a newsletter. */
export function AdminDashboardPage(props: {
  campaigns: readonly Campaign[];
  stats: AdminStats;
  issues: readonly NewsletterIssue[];
  /** The app's clock: what "today" is on every chart. */
  today: Date;
  graceDays: number;
  failedMail: readonly FailedMail[];
  linkChecks: readonly LinkCheck[];
  result?: NewsletterSummary | { started: string };
  error?: string;
}) {
  const { stats, today } = props;
  const counted = stats.feedback.days.map((day) => day.date).sort();
  // The last 120 days up to today, or from the first bounce if that is later.
  const feedbackStart = [counted[0] ?? utcDay(today), utcDay(today, -119)].sort().at(-1) ?? utcDay(today);
  const feedbackDays = chartSpan({ start: feedbackStart, end: utcDay(today) }).days;
  const feedbackByDate = new Map(stats.feedback.days.map((day) => [day.date, day]));
  const feedbackValues = (pick: (day: FeedbackStats['days'][number]) => number) =>
    feedbackDays.map((date) => {
      const day = feedbackByDate.get(date);
      return day ? pick(day) : 0;
    });
  return (
    <Layout title="Operator" {...OPERATOR_LANGUAGE}>
      <h1>Operator</h1>
      <p>
        <a href="/admin/stats">These numbers as JSON</a> · counted per day (UTC) as things happen; they outlive every erasure and hold no personal data. Today is {utcDay(today)}.
      </p>
      <section>
        <h2>People</h2>
        <p>{`${stats.people.totals.signups} people signed up, ${stats.people.totals.confirmations} confirmed, ${stats.people.totals.unsubscribes} unsubscribed, ${stats.people.totals.erasures} deleted their data, ${stats.people.totals.suppressions} suppressed by bounces or complaints. Each campaign below counts its subscriptions.`}</p>
      </section>
      {props.campaigns.map((campaign) => (
        <CampaignSection campaign={campaign} today={today} graceDays={props.graceDays} stats={stats.campaigns[campaign.id] ?? { totals: { signups: 0, confirmations: 0, unsubscribes: 0, erasures: 0, sent: 0, sentByKind: { confirm: 0, welcome: 0, countdown: 0, announcement: 0, newsletter: 0 }, platforms: {} }, days: [] }} />
      ))}
      <LinkChecksSection checks={props.linkChecks} />
      <FailedMailSection failedMail={props.failedMail} />
      <section>
        <h2>Bounces and complaints</h2>
        <p>{`${stats.feedback.totals.bounces} hard bounces, ${stats.feedback.totals.softBounces} soft bounces, ${stats.feedback.totals.complaints} complaints.`}</p>
        {counted.length === 0 ? (
          <p class="hint">None so far.</p>
        ) : (
          <LineChart
            title="Bounces and complaints per day"
            days={feedbackDays}
            series={[
              { name: 'Hard bounces', color: '#b42318', values: feedbackValues((d) => d.bounces) },
              { name: 'Soft bounces', color: '#b45309', values: feedbackValues((d) => d.softBounces), dashed: true },
              { name: 'Complaints', color: '#7c3aed', values: feedbackValues((d) => d.complaints) },
            ]}
          />
        )}
      </section>
      <section>
        <h2>Send a newsletter</h2>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.result ? <NewsletterResult result={props.result} /> : null}
        {props.issues.length === 0 ? (
          <p class="hint">No issues were built: add one under templates/newsletters/ and deploy.</p>
        ) : (
          <form method="post" action="/admin/newsletters">
            <label for="issue">Issue</label>
            <select id="issue" name="issue">
              {props.issues.map((issue) => (
                <option value={issue.id}>{`${issue.id}: ${issue.subject} (${issue.frontMatter.campaign}, ${issue.frontMatter.locale})`}</option>
              ))}
            </select>
            <label for="segment">Segment (optional, narrows the issue's own)</label>
            <input type="text" id="segment" name="segment" placeholder="platform=instagram, done=false" autocomplete="off" />
            <label class="check">
              <input type="checkbox" name="dryRun" value="on" checked /> Dry run: count, send nothing
            </label>
            <button type="submit">Send</button>
          </form>
        )}
      </section>
      <form method="post" action="/admin/logout">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </Layout>
  );
}

function NewsletterResult(props: { result: NewsletterSummary | { started: string } }) {
  const { result } = props;
  if ('started' in result) return <p role="status">{`Sending ${result.started} in the background. Reload this page to watch "Emails sent" grow.`}</p>;
  return (
    <p role="status">
      {result.dryRun
        ? `Dry run of ${result.issueId} (${result.audience}): ${result.total} in the audience, ${result.toSend} would be sent now, ${result.alreadyQueued} sent or queued before. Nothing was sent.`
        : `${result.issueId} (${result.audience}): ${result.queued} queued for sending, ${result.alreadyQueued} sent or queued before, ${result.failed} failed${result.stoppedEarly ? ', stopped at its time budget: send again to continue' : ''}. The mailer sends them at SES's rate: watch "Emails sent" and the failed mail below.`}
    </p>
  );
}

function FailedMailSection(props: { failedMail: readonly FailedMail[] }) {
  return (
    <section>
      <h2>Emails that failed for good</h2>
      {props.failedMail.length === 0 ? (
        <p class="hint">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Failed</th>
              <th>Kind</th>
              <th>Campaign</th>
              <th>Why</th>
              <th>Retry</th>
            </tr>
          </thead>
          <tbody>
            {props.failedMail.map((mail) => (
              <tr>
                <td>{mail.failedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
                <td>{mail.kind}</td>
                <td>{mail.campaignId ?? ''}</td>
                <td>{mail.reason}</td>
                <td>
                  <form method="post" action="/admin/failed-mail/retry">
                    <input type="hidden" name="id" value={mail.id} />
                    <button type="submit" class="secondary">
                      Send again
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LinkChecksSection(props: { checks: readonly LinkCheck[] }) {
  const broken = props.checks.filter((check) => check.verdict === 'broken').length;
  return (
    <section>
      <h2>Campaign links</h2>
      {props.checks.length === 0 ? (
        <p class="hint">Not checked yet: the weekly check, or `npm run check-links`, fills this in.</p>
      ) : (
        <>
          <p role={broken > 0 ? 'alert' : 'status'} class={broken > 0 ? 'error' : undefined}>
            {broken > 0 ? `${broken} of ${props.checks.length} links are broken: fix the campaign data.` : `All ${props.checks.length} links answered.`}
          </p>
          <table>
            <thead>
              <tr>
                <th>Link</th>
                <th>Verdict</th>
                <th>Answer</th>
                <th>Campaigns</th>
                <th>Checked</th>
              </tr>
            </thead>
            <tbody>
              {props.checks.map((check) => (
                <tr>
                  <td>{check.url}</td>
                  <td>{check.verdict}</td>
                  <td>{check.detail}</td>
                  <td>{check.campaigns.join(', ')}</td>
                  <td>{check.checkedAt.slice(0, 16).replace('T', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
