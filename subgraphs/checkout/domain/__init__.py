"""The checkout domain: carts, shipping, tax, promotions, gift cards, completed checkouts."""
