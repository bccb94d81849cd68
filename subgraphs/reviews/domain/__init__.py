"""The reviews domain: reviews, rating aggregates, the products reviews may be written for."""
