export function EventsPage(_props: Record<string, unknown>) {
  return (
    <section>
      <h1>Events</h1>
    </section>
  );
}
