import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/**
 * Downloads per day as bars, for the eye only: the dashboard's table carries
 * the same numbers for assistive technology, so the chart has no
 * accessibility layer of its own (its container is aria-hidden). Its own
 * chunk: recharts is loaded by the dashboard alone, after the numbers show.
 */
const DownloadsChart = ({ data, dayLabel }: { data: { day: string; downloads: number }[]; dayLabel: (day: string) => string }) => (
  <ResponsiveContainer width="100%" height={260}>
    <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="day" tickFormatter={dayLabel} minTickGap={16} />
      <YAxis allowDecimals={false} width={40} />
      <Tooltip labelFormatter={(day) => dayLabel(String(day))} formatter={(value) => [value, 'Downloads']} />
      <Bar dataKey="downloads" name="Downloads" fill="#1f5fbf" isAnimationActive={false} />
    </BarChart>
  </ResponsiveContainer>
);

export default DownloadsChart;
