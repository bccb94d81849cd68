import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Loading, Stars } from '../components/ui';
import { formatDate } from '../lib/format';
import { ModerationQuery, ReviewModerateMutation } from '../lib/operations';

export function ReviewsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ModerationQuery, requestPolicy: 'network-only' });
  const [, moderate] = useMutation(ReviewModerateMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const decide = async (reviewId: string, approve: boolean) => {
    const r = await moderate({ reviewId, approve });
    setProblem(r.error?.message ?? r.data?.reviewModerate.userErrors[0]?.message ?? null);
    refetch({ requestPolicy: 'network-only' });
  };
  const reviews = data?.reviewsForModeration.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1 className="mb-4 text-2xl font-bold">Reviews awaiting moderation</h1>
      {problem ? <ErrorNotice error={problem} /> : null}
      {fetching && !data ? <Loading /> : null}
      {error && !data ? <ErrorNotice error={error} /> : null}
      {data && reviews.length === 0 ? <Empty>Nothing to moderate.</Empty> : null}
      <ul className="space-y-3">
        {reviews.map((r) => (
          <li key={r.id} className="rounded border border-slate-200 p-3">
            <p className="font-semibold">{r.title} <Stars average={r.rating} /></p>
            <p className="text-sm text-slate-700">{r.authorName} on {r.product.name} · {formatDate(r.createdAt)}</p>
            {r.body ? <p className="my-1">{r.body}</p> : null}
            <div className="mt-2 flex gap-2">
              <Button onClick={() => decide(r.id, true)}>Approve</Button>
              <Button variant="danger" onClick={() => decide(r.id, false)}>Reject</Button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
