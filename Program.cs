using Ical.Net; using Ical.Net.CalendarComponents; using Ical.Net.Serialization;
foreach (var y in new[]{2026, 2027, 2028, 2030}) {
  try { var c = new Calendar(); c.AddTimeZone(VTimeZone.FromDateTimeZone("America/New_York", new DateTime(y,6,12), false));
  var s = new CalendarSerializer().SerializeToString(c)!; Console.WriteLine($"{y}: ok {s.Split('\n').Count(l=>l.StartsWith("RRULE"))} rrules; {string.Join(" | ", s.Split('\n').Where(l=>l.StartsWith("DTSTART")||l.StartsWith("RRULE")).Take(4))}"); }
  catch (Exception e) { Console.WriteLine($"{y}: {e.GetType().Name} {e.Message}"); }
}
