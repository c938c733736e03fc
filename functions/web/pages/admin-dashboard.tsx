import { actionsToday } from '../../domain/action.js';
import { campaignsByDeadline, deadlineOf, isAnnounced, isOpen, type Campaign } from '../../domain/campaign.js';
import { recentDays, utcDay } from '../../domain/chart-span.js';
import type { LinkCheck } from '../../domain/link-check.js';
import type { NewsletterIssue } from '../../domain/newsletter.js';
import { groupByCompany, type Platform } from '../../domain/platform.js';
import { EmailKind, type FeedbackStats, type PeopleStats, type PlatformStats } from '../../domain/stats.js';
import type { FailedMail } from '../../failed-mail.js';
import type { NewsletterSummary } from '../../app/newsletter-send.js';
import { DoneBars, LineChart, type ChartMarker } from './admin-chart.js';
import { Layout, OPERATOR_LANGUAGE } from './layout.js';

/** The numbers of /admin and /admin/stats: people, platforms and SES feedback, per day (UTC) and in total. */
export interface AdminStats {
  people: PeopleStats;
  platforms: PlatformStats;
  feedback: FeedbackStats;
}

/** How far back a chart of days reaches: about four months, enough to see a campaign come and go. */
const CHART_DAYS = 120;

/** The days a chart draws: the last CHART_DAYS up to today, or from the first day counted if that is later. */
function daysToDraw(counted: readonly { date: string }[], today: Date): string[] {
  return recentDays({ counted: counted.map((day) => day.date), today, span: CHART_DAYS });
}

/** The value of each day drawn, zero on days nothing was counted. */
function valuesOn<Day extends { date: string }>(days: readonly string[], counted: readonly Day[], pick: (day: Day) => number): number[] {
  const byDate = new Map(counted.map((day) => [day.date, day]));
  return days.map((date) => {
    const day = byDate.get(date);
    return day ? pick(day) : 0;
  });
}

/** The campaigns' deadlines that fall on the chart, and today. */
function markersFor(days: readonly string[], campaigns: readonly Campaign[], today: Date): ChartMarker[] {
  const markers: ChartMarker[] = [];
  for (const campaign of campaigns) {
    const deadline = deadlineOf(campaign);
    const index = deadline ? days.indexOf(utcDay(deadline)) : -1;
    if (index >= 0 && !markers.some((marker) => marker.index === index)) markers.push({ index, label: 'deadline', color: '#b42318' });
  }
  const todayIndex = days.indexOf(utcDay(today));
  if (todayIndex >= 0 && !markers.some((marker) => marker.index === todayIndex)) markers.push({ index: todayIndex, label: 'today', color: '#4b5563' });
  return markers;
}

const EMAIL_SERIES: Record<EmailKind, { name: string; color: string }> = {
  confirm: { name: 'Confirm', color: '#0b5cad' },
  welcome: { name: 'Welcome', color: '#15803d' },
  morning: { name: 'Morning', color: '#b45309' },
  announcement: { name: 'Announcement', color: '#7c3aed' },
  newsletter: { name: 'Newsletter', color: '#be185d' },
};

function PeopleSection(props: { stats: PeopleStats; campaigns: readonly Campaign[]; today: Date }) {
  const { stats, today } = props;
  const { totals } = stats;
  const days = daysToDraw(stats.days, today);
  const markers = markersFor(days, props.campaigns, today);
  const values = (pick: (day: PeopleStats['days'][number]) => number) => valuesOn(days, stats.days, pick);
  return (
    <section>
      <h2>People</h2>
      <p>
        {`${totals.forms} forms sent, ${totals.signups} new people, ${totals.confirmations} confirmed, ${totals.unsubscribes} unsubscribed, ${totals.erasures} deleted their data, ${totals.suppressions} suppressed by bounces or complaints.`}
      </p>
      {stats.days.length === 0 ? (
        <p class="hint">Nothing counted yet.</p>
      ) : (
        <LineChart
          title={`People per day, ${days[0] ?? ''} to ${days.at(-1) ?? ''}`}
          days={days}
          markers={markers}
          series={[
            { name: 'Forms', color: '#0b5cad', values: values((d) => d.forms) },
            { name: 'New people', color: '#7c3aed', values: values((d) => d.signups), dashed: true },
            { name: 'Confirmed', color: '#15803d', values: values((d) => d.confirmations) },
            { name: 'Left', color: '#b42318', values: values((d) => d.unsubscribes + d.erasures) },
          ]}
        />
      )}
      <h2>Emails</h2>
      <p>
        {`${totals.sent} emails queued for the mailer: ${EmailKind.options.map((kind) => `${totals.sentByKind[kind]} ${EMAIL_SERIES[kind].name.toLowerCase()}`).join(', ')}. The mailer sends them at SES's rate; those that failed for good are listed below.`}
      </p>
      {stats.days.length === 0 ? (
        <p class="hint">None so far.</p>
      ) : (
        <LineChart
          title={`Emails per day by kind, ${days[0] ?? ''} to ${days.at(-1) ?? ''}`}
          days={days}
          markers={markers}
          series={EmailKind.options.map((kind) => ({ ...EMAIL_SERIES[kind], values: values((d) => d.sentByKind[kind]) }))}
        />
      )}
      <details>
        <summary>People and emails per day</summary>
        <table>
          <thead>
            <tr>
              <th>Day</th>
              <th>Forms</th>
              <th>New</th>
              <th>Confirmed</th>
              <th>Left</th>
              <th>Suppressed</th>
              <th>Emails</th>
            </tr>
          </thead>
          <tbody>
            {stats.days.map((day) => (
              <tr>
                <td>{day.date}</td>
                <td>{day.forms}</td>
                <td>{day.signups}</td>
                <td>{day.confirmations}</td>
                <td>{day.unsubscribes + day.erasures}</td>
                <td>{day.suppressions}</td>
                <td title={EmailKind.options.map((kind) => `${EMAIL_SERIES[kind].name} ${day.sentByKind[kind]}`).join(', ')}>{day.sent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)} %` : '–');

function PlatformsSection(props: { stats: PlatformStats; catalog: readonly Platform[]; campaigns: readonly Campaign[]; today: Date }) {
  const { stats, catalog } = props;
  const nameOf = new Map(catalog.map((platform) => [platform.id, platform.name]));
  const groups = groupByCompany(
    catalog.map((platform) => platform.id),
    catalog,
  ).map(([company, ids]) => ({ name: OPERATOR_LANGUAGE.text.campaignForm.groups[company], ids }));
  const today = actionsToday(catalog, props.campaigns, props.today);
  return (
    <section>
      <h2>Platforms</h2>
      <p class="hint">Asked: ticked on a form. Picked: joined a confirmed list. Done: marked "I've objected" (an undo takes it back). Dropped: taken off a list.</p>
      <table>
        <thead>
          <tr>
            <th>Platform</th>
            <th>Today</th>
            <th>Asked</th>
            <th>Picked</th>
            <th>Done</th>
            <th>Dropped</th>
            <th>Done of picked</th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody>
            <tr>
              <th colspan={7}>{group.name}</th>
            </tr>
            {group.ids.map((id) => {
              const counts = stats.totals[id];
              const action = today.get(id);
              return (
                <tr>
                  <td>{nameOf.get(id) ?? id}</td>
                  <td title={action?.kind === 'deadline' ? action.campaign.id : undefined}>{action?.kind ?? ''}</td>
                  <td>{counts.asked}</td>
                  <td>{counts.picked}</td>
                  <td>{counts.done}</td>
                  <td>{counts.dropped}</td>
                  <td>{percent(counts.done, counts.picked)}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
      <h3>Done of picked, per platform</h3>
      <DoneBars
        title="Marked done of those who picked it, per platform, by company"
        groups={groups.map((group) => ({ name: group.name, rows: group.ids.map((id) => ({ name: nameOf.get(id) ?? id, picked: stats.totals[id].picked, done: stats.totals[id].done })) }))}
      />
      <details>
        <summary>Platforms per day</summary>
        {stats.days.length === 0 ? (
          <p class="hint">Nothing counted yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Day</th>
                <th>Platform</th>
                <th>Asked</th>
                <th>Picked</th>
                <th>Done</th>
                <th>Dropped</th>
              </tr>
            </thead>
            <tbody>
              {stats.days.flatMap((day) =>
                groups
                  .flatMap((group) => group.ids)
                  .flatMap((id) => {
                    const counts = day.platforms[id];
                    return counts
                      ? [
                          <tr>
                            <td>{day.date}</td>
                            <td>{nameOf.get(id) ?? id}</td>
                            <td>{counts.asked}</td>
                            <td>{counts.picked}</td>
                            <td>{counts.done}</td>
                            <td>{counts.dropped}</td>
                          </tr>,
                        ]
                      : [];
                  }),
              )}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}

/** Where a campaign stands today, in the operator's words: its deadline and announcement as written in its file. */
function campaignState(campaign: Campaign, today: Date): string {
  const deadline = campaign.deadline ? `deadline ${campaign.deadline.local.replace('T', ' ')} ${campaign.deadline.timeZone}` : undefined;
  const announced = campaign.announcedAt.slice(0, 10);
  if (!isAnnounced(campaign, today)) return `not announced yet (from ${announced})${deadline ? `, ${deadline}` : ', standing'}`;
  if (!deadline) return `standing since ${announced}`;
  return `${deadline}, ${isOpen(campaign, today) ? 'open' : 'passed'}`;
}

function CampaignsSection(props: { campaigns: readonly Campaign[]; catalog: readonly Platform[]; today: Date }) {
  const nameOf = new Map(props.catalog.map((platform) => [platform.id, platform.name]));
  const listed = campaignsByDeadline(props.campaigns, props.today);
  const ordered = [...listed, ...props.campaigns.filter((campaign) => !listed.includes(campaign))];
  return (
    <section>
      <h2>Campaigns</h2>
      {ordered.length === 0 ? (
        <p class="hint">No campaign is configured.</p>
      ) : (
        <ul>
          {ordered.map((campaign) => (
            <li>
              <strong>{campaign.title}</strong> {`(${campaign.id}): ${campaignState(campaign, props.today)}; ${campaign.platforms.map((id) => nameOf.get(id) ?? id).join(', ')}.`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The operator's page: the numbers as charts and tables, the campaigns, link checks, failed emails and the form that sends a newsletter. */
export function AdminDashboardPage(props: {
  campaigns: readonly Campaign[];
  /** The platform catalog: names and companies for the tables. */
  platforms: readonly Platform[];
  stats: AdminStats;
  issues: readonly NewsletterIssue[];
  /** The app's clock: what "today" is on every chart. */
  today: Date;
  failedMail: readonly FailedMail[];
  linkChecks: readonly LinkCheck[];
  result?: NewsletterSummary | { started: string };
  error?: string;
}) {
  const { stats, today } = props;
  const feedbackDays = daysToDraw(stats.feedback.days, today);
  const feedbackValues = (pick: (day: FeedbackStats['days'][number]) => number) => valuesOn(feedbackDays, stats.feedback.days, pick);
  return (
    <Layout title="Operator" {...OPERATOR_LANGUAGE}>
      <h1>Operator</h1>
      <p>
        <a href="/admin/stats">These numbers as JSON</a> · counted per day (UTC) as things happen; they outlive every erasure and hold no personal data. Today is {utcDay(today)}.
      </p>
      <PeopleSection stats={stats.people} campaigns={props.campaigns} today={today} />
      <PlatformsSection stats={stats.platforms} catalog={props.platforms} campaigns={props.campaigns} today={today} />
      <CampaignsSection campaigns={props.campaigns} catalog={props.platforms} today={today} />
      <LinkChecksSection checks={props.linkChecks} />
      <FailedMailSection failedMail={props.failedMail} />
      <section>
        <h2>Bounces and complaints</h2>
        <p>{`${stats.feedback.totals.bounces} hard bounces, ${stats.feedback.totals.softBounces} soft bounces, ${stats.feedback.totals.complaints} complaints.`}</p>
        {stats.feedback.days.length === 0 ? (
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
