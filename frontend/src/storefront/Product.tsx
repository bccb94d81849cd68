import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Button, Empty, ErrorNotice, Field, Loading, Money, Section, Stars } from '../components/ui';
import { fieldErrors, formatDate } from '../lib/format';
import { ProductQuery, ProductReviewsQuery, ReviewCreateMutation } from '../lib/operations';
import { useCart } from './cart';

export function ProductPage() {
  const { slug = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ProductQuery, variables: { slug } });
  const [variantId, setVariantId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);
  const { add, addError } = useCart();

  if (fetching && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} />;
  const product = data?.product;
  if (!product) return <Empty>This product does not exist.</Empty>;
  const variant = product.variants.find((v) => v.id === variantId) ?? product.variants[0];
  const image = product.images[0];
  const available = variant?.availability.inStock ?? false;

  const onAdd = async () => {
    if (!variant) return;
    setAdded(false);
    setAdded(await add(variant.id, quantity));
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link to="/" className="underline">Home</Link>
        {product.category ? (
          <>
            {' / '}
            <Link to={`/categories/${product.category.slug}`} className="underline">{product.category.name}</Link>
          </>
        ) : null}
      </nav>
      <div className="grid gap-6 md:grid-cols-2">
        <div>
          {image ? (
            <img src={image.large} srcSet={image.srcset} sizes="(min-width: 768px) 50vw, 100vw" alt={image.alt || product.name} width={800} height={800} className="w-full rounded" />
          ) : (
            <div className="aspect-square w-full rounded bg-slate-100" aria-hidden="true" />
          )}
          {product.images.length > 1 ? (
            <ul className="mt-2 flex gap-2">
              {product.images.slice(1).map((img) => (
                <li key={img.id}>
                  <img src={img.medium} alt={img.alt || product.name} width={96} height={96} className="h-24 w-24 rounded object-cover" />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div>
          <h1 className="text-2xl font-bold">{product.name}</h1>
          <p className="my-2 text-xl">
            <Money value={variant?.price ?? product.price} />
            {product.compareAtPrice ? (
              <s className="ml-2 text-slate-600" aria-label="Was"><Money value={product.compareAtPrice} /></s>
            ) : null}
          </p>
          {product.variants.length > 1 ? (
            <label className="mb-3 block">
              <span className="mb-1 block text-sm font-medium">Variant</span>
              <select value={variant?.id} onChange={(e) => setVariantId(e.target.value)} className="w-full rounded border border-slate-400 px-2 py-2">
                {product.variants.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.options.map((o) => o.value).join(' / ') || v.name} {v.availability.inStock ? '' : '(sold out)'}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <p className={available ? 'text-green-800' : 'text-red-700'}>
            {available ? `In stock (${variant?.availability.quantityAvailable} available)` : 'Out of stock'}
          </p>
          <div className="my-3 flex items-end gap-3">
            <label>
              <span className="mb-1 block text-sm font-medium">Quantity</span>
              <input type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} className="w-20 rounded border border-slate-400 px-2 py-2" />
            </label>
            <Button onClick={onAdd} disabled={!available}>Add to cart</Button>
          </div>
          <div aria-live="polite">
            {added ? <p className="text-green-800">Added to your cart. <Link to="/cart" className="underline">View cart</Link></p> : null}
            {addError ? <ErrorNotice error={addError} title="Could not add to cart" /> : null}
          </div>
          <p className="mt-4 whitespace-pre-line">{product.description}</p>
          {variant ? <p className="mt-2 text-sm text-slate-700">SKU {variant.sku}</p> : null}
        </div>
      </div>
      <Section title="Reviews">
        <Reviews slug={slug} productId={product.id} />
      </Section>
    </>
  );
}

export function Reviews({ slug, productId }: { slug: string; productId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProductReviewsQuery, variables: { slug } });
  const reviews = data?.product;
  return (
    <section aria-labelledby="reviews" className="mt-8">
      <h2 id="reviews" className="mb-2 text-xl font-semibold">Reviews</h2>
      {fetching && !reviews ? <Loading label="Loading reviews…" /> : null}
      {error && !reviews ? <ErrorNotice title="Reviews are unavailable right now" /> : null}
      {reviews ? (
        <>
          {reviews.rating.count > 0 ? (
            <p className="mb-3">
              <Stars average={reviews.rating.average} count={reviews.rating.count} /> average {Number(reviews.rating.average).toFixed(1)}
            </p>
          ) : (
            <Empty>No reviews yet. Be the first to write one.</Empty>
          )}
          <ul className="space-y-3">
            {reviews.reviews.edges.map(({ node }) => (
              <li key={node.id} className="rounded border border-slate-200 p-3">
                <p className="font-semibold">{node.title}</p>
                <Stars average={node.rating} />
                <p className="text-sm text-slate-700">{node.authorName} · {formatDate(node.createdAt)}</p>
                {node.body ? <p className="mt-1">{node.body}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <ReviewForm productId={productId} onPosted={() => refetch({ requestPolicy: 'network-only' })} />
    </section>
  );
}

export function ReviewForm({ productId, onPosted }: { productId: string; onPosted: () => void }) {
  const [rating, setRating] = useState(5);
  const [title, setTitle] = useState('');
  const [authorName, setAuthorName] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [{ fetching }, create] = useMutation(ReviewCreateMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage('');
    const result = await create({ input: { productId, rating, title, authorName, body } });
    const payload = result.data?.reviewCreate;
    if (result.error) {
      setErrors({ _: result.error.message });
      return;
    }
    const errs = fieldErrors(payload?.userErrors);
    setErrors(errs);
    if (Object.keys(errs).length === 0) {
      setMessage(payload?.review?.status === 'PENDING' ? 'Thank you! Your review will appear once approved.' : 'Thank you for your review!');
      setTitle('');
      setBody('');
      onPosted();
    }
  };
  return (
    <form onSubmit={submit} className="mt-6 max-w-lg" aria-labelledby="write-review">
      <h3 id="write-review" className="mb-2 text-lg font-semibold">Write a review</h3>
      <label className="mb-3 block">
        <span className="mb-1 block text-sm font-medium">Rating</span>
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))} className="rounded border border-slate-400 px-2 py-2">
          {[5, 4, 3, 2, 1].map((n) => <option key={n} value={n}>{n} stars</option>)}
        </select>
      </label>
      <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} required />
      <Field label="Your name" value={authorName} onChange={(e) => setAuthorName(e.target.value)} error={errors.authorName} required />
      <label className="mb-3 block">
        <span className="mb-1 block text-sm font-medium">Review</span>
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} className="w-full rounded border border-slate-400 px-3 py-2" />
      </label>
      {errors._ || errors.rating || errors.productId ? <ErrorNotice error={errors._ ?? errors.rating ?? errors.productId} title="Could not post the review" /> : null}
      <p aria-live="polite" className="text-green-800">{message}</p>
      <Button type="submit" disabled={fetching}>Post review</Button>
    </form>
  );
}
